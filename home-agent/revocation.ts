// The agent's end when it is revoked: the Worker answers 401 to its token, or the room closes its socket with
// ROOM_CLOSE_REVOKED. It says so in one line, stops, and kills its tasks' processes (nobody can approve or watch
// them any more); the CLI then exits non-zero. It never retries: only `hearth login` pairs it again.
import type { Fetch } from './worker-api.ts';

/** The one line an agent logs when it was revoked. */
export const REVOKED_MESSAGE = 'this agent was revoked or its token is no longer valid: run `hearth login`';

/** `fetcher`, reporting every HTTP 401 answer to `onUnauthorized` (the answer still goes to the caller). */
export function reportingUnauthorized(fetcher: Fetch, onUnauthorized: () => void): Fetch {
  return async (input, init) => {
    const response = await fetcher(input, init);
    if (response.status === 401) onUnauthorized();
    return response;
  };
}

export type Revocation = {
  /** Begin the end: log REVOKED_MESSAGE, stop, kill the tasks' processes. Only the first call acts. */
  trigger(): void;
  /** Resolves once a triggered end is complete (the agent stopped, its tasks' processes gone); never rejects. */
  done: Promise<void>;
};

export type RevocationDeps = {
  log: (line: string) => void;
  report: (error: unknown) => void;
  /** Stop the agent's loops, sockets and timers (task windows would otherwise keep running). */
  stop: () => Promise<void>;
  /** End every task's process tree and the agent's tmux server. */
  killTasks: () => Promise<void>;
};

/** Run one step, turning a throw (synchronous or not) into a report; resolves when it is over. */
const step = (run: () => Promise<void>, report: (error: unknown) => void): Promise<void> => {
  try {
    return run().catch(report);
  } catch (error) {
    report(error);
    return Promise.resolve();
  }
};

/**
 * The revocation of one running agent. `stop` begins synchronously inside `trigger` (so nothing started after the
 * 401 or the close logs a retry); a failing step is reported and the next one still runs.
 */
export function createRevocation(deps: RevocationDeps): Revocation {
  let triggered = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    trigger() {
      if (triggered) return;
      triggered = true;
      deps.log(REVOKED_MESSAGE);
      void step(deps.stop, deps.report)
        .then(() => step(deps.killTasks, deps.report))
        .then(finish);
    },
    done,
  };
}
