// What `hearth hook` prints for each CLI (docs/cli-backends.md §1.5, §2.5, §3.5). Pure. Always JSON: Claude's
// PermissionRequest ignores exit 2 and Gemini fails open on empty output, so a deny is never "no output".
import type { Backend } from '../../protocol/index.ts';
import type { HookAnswer } from '../hook-socket.ts';

/** The hook event the launcher configures for each CLI. */
export const HOOK_EVENT: Record<Exclude<Backend, 'shell'>, string> = {
  claude: 'PermissionRequest',
  codex: 'PermissionRequest',
  gemini: 'BeforeTool',
};

const REASON_MAX = 1000;

/** One line of JSON for the CLI's stdout. The reason is shown to the model on deny, so it is kept short. */
export function hookOutput(backend: Exclude<Backend, 'shell'>, answer: HookAnswer): string {
  const reason = answer.reason.slice(0, REASON_MAX);
  if (backend === 'gemini') return JSON.stringify({ decision: answer.decision, reason });
  const decision = answer.decision === 'allow' ? { behavior: 'allow' } : { behavior: 'deny', message: reason };
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision } });
}
