// The agent's answer to one `hearth hook` request: check that it comes from a task running here with that task's
// token and backend, normalize the CLI's payload, and ask the approval gate. Every refusal is a deny (rule 7).
import { timingSafeEqual } from 'node:crypto';
import type { Backend } from '../protocol/index.ts';
import type { GateQuestion } from './approval-gate.ts';
import { GEMINI_GATED_TOOLS } from './backends/gemini-tools.ts';
import { normalizeHook } from './backends/hook-normalize.ts';
import { deny, type HookAnswer, type HookHandler } from './hook-socket.ts';
import type { LocalTask } from './local-state.ts';

export type HookHandlerDeps = {
  /** The task if it runs here and is not ending. */
  target: (taskId: string) => LocalTask | undefined;
  /** The allowlisted path of a workspace name, or undefined. */
  workspacePath: (name: string) => string | undefined;
  gate: { decide(question: GateQuestion, signal: AbortSignal): Promise<HookAnswer> };
  /** Counts requests being decided per task (the task is not idle meanwhile). */
  inFlight: (taskId: string, delta: 1 | -1) => void;
  log: (line: string) => void;
};

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Gemini's BeforeTool hook sees every tool; only the gated ones are Hearth's to decide. For the rest an `allow`
 * only hands the call back to Gemini's own policy (docs/cli-backends.md §3.5: BeforeTool allow never approves).
 */
const defersToCli = (backend: Backend, tool: unknown): boolean =>
  backend === 'gemini' && typeof tool === 'string' && !(GEMINI_GATED_TOOLS as readonly string[]).includes(tool);

export function createHookHandler(deps: HookHandlerDeps): HookHandler {
  return async (request, signal) => {
    const task = deps.target(request.taskId);
    if (!task || task.hookToken === null || !sameSecret(task.hookToken, request.token)) {
      deps.log(`hook: refused a request for task ${request.taskId} (not running here or wrong token)`);
      return deny('Hearth: this task is not running under the Hearth agent');
    }
    if (task.backend !== request.backend) return deny(`Hearth: the task runs ${task.backend}, not ${request.backend}`);
    const workspace = deps.workspacePath(task.workspace);
    if (!workspace) return deny(`Hearth: workspace ${task.workspace} is no longer allowlisted`);
    const payload = request.payload as { tool_name?: unknown } | null;
    if (defersToCli(task.backend, payload?.tool_name)) {
      return { decision: 'allow', reason: 'not gated by Hearth: Gemini CLI decides' };
    }
    const normalized = normalizeHook(task.backend, request.payload, workspace);
    if (!normalized.ok) return deny(`Hearth: ${normalized.error}`);
    const { call, request: approval, inputHash } = normalized.value;
    deps.inFlight(task.taskId, 1);
    try {
      return await deps.gate.decide({ taskId: task.taskId, workspace, call, request: approval, inputHash }, signal);
    } finally {
      deps.inFlight(task.taskId, -1);
    }
  };
}
