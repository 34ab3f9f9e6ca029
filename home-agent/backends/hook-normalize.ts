// One CLI hook payload → what the approval gate needs: the policy's ToolCall, the phone's ApprovalRequest and the
// input hash. Pure. A payload that does not parse is an error (the caller denies); an unknown tool is `other`.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { ApprovalRequest, Backend } from '../../protocol/index.ts';
import type { ToolCall } from '../policy.ts';
import { classifyClaudeTool } from './claude-tools.ts';
import { classifyCodexTool } from './codex-tools.ts';
import { classifyGeminiTool } from './gemini-tools.ts';
import { inputHash } from './input-hash.ts';
import type { Classified, ToolInput } from './tool-call.ts';

/** The fields every supported CLI puts in its PermissionRequest / BeforeTool stdin (docs/cli-backends.md). */
export const HookPayload = z.object({
  hook_event_name: z.string().max(64).optional(),
  tool_name: z.string().min(1).max(128),
  tool_input: z.record(z.string(), z.unknown()).default({}),
  cwd: z.string().min(1).max(4096).optional(),
});

export type Normalized = { call: ToolCall; request: ApprovalRequest; inputHash: string };

const SUMMARY_MAX = 2000;
const DETAIL_MAX = 32 * 1024;

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 40)}\n… (${s.length - max + 40} more characters)`);

const TABLES: Record<Exclude<Backend, 'shell'>, (tool: string, input: ToolInput) => Classified> = {
  claude: classifyClaudeTool,
  codex: classifyCodexTool,
  gemini: classifyGeminiTool,
};

/**
 * Normalize `payload` from `backend`'s hook. `workspace` is the task's workspace path, used as the cwd when the
 * payload names none (a relative cwd is taken relative to it).
 */
export function normalizeHook(
  backend: Backend,
  payload: unknown,
  workspace: string,
): { ok: true; value: Normalized } | { ok: false; error: string } {
  if (backend === 'shell') return { ok: false, error: 'the shell backend has no hooks' };
  const parsed = HookPayload.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `unrecognised ${backend} hook payload (${where.join('; ')})` };
  }
  const { tool_name: tool, tool_input: input } = parsed.data;
  const base = parsed.data.cwd === undefined ? workspace : resolve(workspace, parsed.data.cwd);
  const classified = TABLES[backend](tool, input);
  const cwd = classified.cwd === undefined ? base : isAbsolute(classified.cwd) ? classified.cwd : resolve(base, classified.cwd);
  const call: ToolCall = { kind: classified.kind, tool, paths: classified.paths, cwd };
  if (classified.command !== undefined) call.command = classified.command;
  const request: ApprovalRequest = {
    tool,
    summary: cut(classified.summary, SUMMARY_MAX),
    detail: cut(JSON.stringify(input, null, 2), DETAIL_MAX),
    cwd,
    source: 'hook',
  };
  return { ok: true, value: { call, request, inputHash: inputHash(tool, input) } };
}
