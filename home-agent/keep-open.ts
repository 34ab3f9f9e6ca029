// Pure decisions about an AI CLI window kept open after its turn for a follow-up (issue 3): how long it stays open,
// what the Worker's view of such a task asks the agent to do, and what an answer to POST …/close means. No I/O.
import { isActive, isTerminal, MAX_KEEP_OPEN_MS, type TaskView } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';

/**
 * FinishRequest.keepOpenMs for the configured minutes: 0 (close at once) for 0 minutes, else the minutes in ms,
 * rounded, at least 1 and at most MAX_KEEP_OPEN_MS (24 h).
 */
export function keepOpenMs(minutes: number): number {
  if (!(minutes > 0)) return 0;
  return Math.min(MAX_KEEP_OPEN_MS, Math.max(1, Math.round(minutes * 60_000)));
}

/**
 * What to do with a window held open here, from the Worker's view of its task (D1 is the truth):
 * `pick-up` a follow-up reopened it (running, waiting_approval); `close` the owner closed it or its time is up
 * (succeeded without a future openUntil); `forget` it ended some other way (failed, cancelled, timed_out, lost):
 * close the window without asking the Worker; `keep` it is still open for a follow-up (or still queued).
 */
export function openTaskAction(view: Pick<TaskView, 'status' | 'openUntil'>, now: number): 'pick-up' | 'close' | 'forget' | 'keep' {
  if (isActive(view.status)) return 'pick-up';
  if (view.status === 'succeeded') return view.openUntil != null && view.openUntil > now ? 'keep' : 'close';
  return isTerminal(view.status) ? 'forget' : 'keep';
}

/**
 * What an answer to POST /api/agent/tasks/:id/close means (`error` null: 200). `closed`: quit the CLI and close the
 * window; `reopened` (409): a follow-up won, keep the window; `not-held` (404): the Worker does not know the task as
 * this agent's, close the window here; `retry`: network or server trouble, ask again later.
 */
export function closeAnswer(error: unknown): 'closed' | 'reopened' | 'not-held' | 'retry' {
  if (error === null) return 'closed';
  if (error instanceof AgentError && error.status === 409) return 'reopened';
  if (error instanceof AgentError && error.status === 404) return 'not-held';
  return 'retry';
}

/**
 * What an answer to POST /api/agent/follow-ups/:id/deliver means (`error` null: 200). `type`: this agent took it
 * and must type it; `skip` (409 already taken, 404 gone): never type it; `retry`: ask again on the next pass.
 */
export function deliverAnswer(error: unknown): 'type' | 'skip' | 'retry' {
  if (error === null) return 'type';
  if (error instanceof AgentError && (error.status === 409 || error.status === 404)) return 'skip';
  return 'retry';
}
