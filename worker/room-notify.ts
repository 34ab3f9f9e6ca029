// Telling an owner's PartyKit room that a task or an approval changed, or that a session or device was revoked
// (RoomNotification, bearer ROOM_SECRET). Best effort with a few retries: D1 is the truth and agents re-check the queue,
// so a failed notify is logged (no secrets), never thrown.
import type { RoomNotification } from '../protocol/index.ts';

export type RoomNotifyDeps = {
  fetch: typeof fetch;
  /** `http(s)://host[:port]` of the PartyKit server. */
  partykitOrigin: string;
  roomSecret: string;
  log: (message: string) => void;
  /** Waits `ms` milliseconds (a timer in the Worker; instant in unit tests). */
  sleep: (ms: number) => Promise<void>;
};

/** Delay before each attempt, in ms: the first at once, then 250 ms and 1 s later (~1.3 s in all). */
export const NOTIFY_DELAYS_MS: readonly number[] = [0, 250, 1_000];
/** Longest one attempt may take before it is abandoned (and retried), in ms. */
export const NOTIFY_ATTEMPT_TIMEOUT_MS = 5_000;
/**
 * A revocation's attempts are cut sooner, so all of them end within REVOKE_DEADLINE_MS even when the room hangs
 * (issue 4: a revoked session's or device's sockets close within 5 s). The room answers one in milliseconds.
 */
export const REVOKE_ATTEMPT_TIMEOUT_MS = 1_000;
/** By when every attempt of a revocation has ended, counted from the first, in ms. */
export const REVOKE_DEADLINE_MS = 5_000;

/** How long one attempt of `n` may take, in ms. */
export const attemptTimeoutMs = (n: RoomNotification): number =>
  n.type === 'revoke' ? REVOKE_ATTEMPT_TIMEOUT_MS : NOTIFY_ATTEMPT_TIMEOUT_MS;

/** A setTimeout-based `sleep` for RoomNotifyDeps. */
export const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether an answer may be worth another attempt: the room is restarting or overloaded, not refusing us. */
const isTransient = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** What a notification is about, for log lines: the task, and the approval when there is one. */
const subjectOf = (n: RoomNotification): string =>
  n.type === 'approval-changed' ? `approval ${n.approvalId} of task ${n.taskId}` : n.type === 'revoke' ? 'a revocation' : `task ${n.taskId}`;

/**
 * POST one RoomNotification to the owner's room, retrying network errors, timeouts (attemptTimeoutMs) and 408/429/5xx answers after
 * each delay in NOTIFY_DELAYS_MS. Resolves true on a 2xx answer, false once the attempts are spent or on
 * another 4xx (a wrong secret will not heal by itself); never rejects. Logs one line per failed attempt,
 * naming the task (and approval) and the HTTP status or error name only.
 */
export async function notifyRoom(deps: RoomNotifyDeps, ownerId: string, body: RoomNotification): Promise<boolean> {
  const url = `${deps.partykitOrigin}/parties/main/${encodeURIComponent(ownerId)}`;
  for (const [i, delay] of NOTIFY_DELAYS_MS.entries()) {
    if (delay > 0) await deps.sleep(delay);
    const attempt = `room notify for ${subjectOf(body)} (attempt ${i + 1}/${NOTIFY_DELAYS_MS.length})`;
    try {
      const res = await deps.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.roomSecret}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(attemptTimeoutMs(body)),
      });
      await res.body?.cancel();
      if (res.ok) return true;
      deps.log(`${attempt} answered HTTP ${res.status}`);
      if (!isTransient(res.status)) return false;
    } catch (err) {
      deps.log(`${attempt} failed: ${err instanceof Error ? err.name : 'error'}`);
    }
  }
  return false;
}
