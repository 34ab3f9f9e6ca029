// When the agent looks for queued work (DESIGN.md rule 3): on request (connect, nudge, a freed slot), on a slow
// timer while connected with free capacity (a lost nudge strands nothing), and once more after a failed pass.
import type { TaskView } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';
import { createOnePass } from './one-pass.ts';
import type { WorkerApi } from './worker-api.ts';

export type ClaimLoopDeps = {
  api: Pick<WorkerApi, 'queued' | 'claim'>;
  maxConcurrent: number;
  /** Tasks running now. */
  running: () => number;
  /**
   * Whether the timers may start a pass: true while the room link is up. A disconnected agent claims again on
   * reconnect, so polling then would only repeat errors while the Worker is unreachable.
   */
  connected: () => boolean;
  /** Run a task just claimed. */
  start: (task: TaskView) => Promise<void>;
  log: (line: string) => void;
  report: (error: unknown) => void;
  /** Aborted when the agent stops: no pass starts after that. */
  signal: AbortSignal;
  /** Period of the queue check while below maxConcurrent, in ms (0 disables it). */
  pollMs: number;
  /** Delay before retrying a pass that failed (e.g. the Worker was unreachable), in ms. */
  retryMs: number;
};

export type ClaimLoop = {
  /** Claim queued tasks now (or right after the pass in flight). */
  request(): void;
  /** Stop the timers and wait for the pass in flight. */
  stop(): Promise<void>;
};

/** Start the periodic check; `request()` for the event-driven ones. One pass runs at a time. */
export function createClaimLoop(deps: ClaimLoopDeps): ClaimLoop {
  let retry: NodeJS.Timeout | null = null;

  async function pass(): Promise<void> {
    if (deps.running() >= deps.maxConcurrent) return;
    const queued = await deps.api.queued();
    for (const task of queued) {
      if (deps.signal.aborted || deps.running() >= deps.maxConcurrent) return;
      try {
        const claim = await deps.api.claim(task.id);
        deps.log(`task ${task.id}: claimed`);
        await deps.start(claim.task);
      } catch (error) {
        if (error instanceof AgentError && error.code === 'conflict') continue; // another agent won
        deps.report(error);
      }
    }
  }

  const claims = createOnePass(pass, deps.signal, (error) => {
    // One retry timer at most: without it a failed pass would wait for the next nudge or poll.
    deps.report(error);
    retry ??= setTimeout(() => {
      retry = null;
      if (deps.connected()) claims.request();
    }, deps.retryMs).unref();
  });

  const poll =
    deps.pollMs > 0
      ? setInterval(() => {
          if (!claims.busy() && deps.connected() && deps.running() < deps.maxConcurrent) claims.request();
        }, deps.pollMs)
      : null;
  poll?.unref();

  return {
    request: claims.request,
    async stop() {
      if (poll) clearInterval(poll);
      if (retry) clearTimeout(retry);
      retry = null;
      await claims.stop();
    },
  };
}
