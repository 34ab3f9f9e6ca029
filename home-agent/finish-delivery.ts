// Delivering a task's finish to the Worker (POST /api/agent/tasks/:id/finish): retried with backoff until it lands,
// a 4xx says it never will, or the agent stops. Knows nothing about windows or local state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FinishRequest } from '../protocol/index.ts';
import { AgentError, errorLine } from './agent-error.ts';
import type { WorkerApi } from './worker-api.ts';

export type FinishDeliveryDeps = {
  api: Pick<WorkerApi, 'finish'>;
  log: (line: string) => void;
  /** Aborted when the agent stops: retrying gives up (the finish stays in local state for the next start). */
  signal: AbortSignal;
};

/**
 * POST the finish; on a network error or 5xx wait 1 s, 2 s, 4 s … (≤ 30 s) and try again. True when it landed or a
 * 4xx says it is moot (e.g. 409: already finished); false only when the agent stopped first.
 */
export async function deliverFinish(deps: FinishDeliveryDeps, taskId: string, finish: FinishRequest): Promise<boolean> {
  for (let attempt = 0; !deps.signal.aborted; attempt++) {
    try {
      await deps.api.finish(taskId, finish);
      return true;
    } catch (error) {
      if (error instanceof AgentError && error.status !== undefined && error.status < 500) {
        deps.log(`task ${taskId}: finish not applied (${error.code}); treating the task as done`);
        return true;
      }
      const delay = Math.min(30_000, 1_000 * 2 ** attempt);
      deps.log(`task ${taskId}: finish failed (${errorLine(error)}); retrying in ${delay / 1000}s`);
      await sleep(delay, undefined, { signal: deps.signal }).catch(() => undefined);
    }
  }
  return false;
}
