// When the phone's room socket tries again: the wait before each attempt after a drop, and what to do when the page
// wakes (visible again, restored from the back/forward cache, unfrozen) or the network returns. Pure: the room client
// owns the socket and the timers.

/** Backoff bounds in ms: the first attempt after a drop goes at once, the next after ~1 s, growing ×1.5 up to ~10 s. */
export const RETRY_MIN_MS = 1_000;
export const RETRY_MAX_MS = 10_000;

/**
 * A page hidden at least this long (ms) may hold a socket the network already dropped without telling it: phones
 * suspend background pages within seconds and NATs forget idle links. On its return the phone reconnects at once
 * instead of pinging the old socket and waiting for a pong that may never come.
 */
export const WAKE_RECONNECT_AFTER_MS = 5_000;

/**
 * Wait in ms before connection attempt `attempt` (1 = the first after a drop): 0 for the first, then
 * RETRY_MIN_MS × 1.5^(attempt − 2) capped at RETRY_MAX_MS, scaled into its upper half by `jitter` ∈ [0, 1) so an
 * owner's phones do not retry in step.
 */
export function retryDelayMs(attempt: number, jitter: number): number {
  if (attempt <= 1) return 0;
  const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 1.5 ** (attempt - 2));
  return Math.round(base * (0.5 + Math.min(Math.max(jitter, 0), 1) / 2));
}

/**
 * What woke the page: `visible` (visibilitychange), `pageshow` (restored from the back/forward cache), `resume` (the
 * page was frozen), `online` (the network came back).
 */
export type WakeCause = 'visible' | 'pageshow' | 'resume' | 'online';

/** The room socket as the page sees it: open, an attempt in flight, or closed (waiting for a retry, or offline). */
export type Link = 'open' | 'connecting' | 'closed';

export type WakeAction = 'reconnect' | 'ping' | 'offline' | 'nothing';

/**
 * Decide how the socket answers a wake-up: `offline` while the browser says there is no network (stop trying until
 * `online`); `nothing` while an attempt is in flight; `reconnect` (at once, skipping any backoff) when the socket is
 * closed, after a freeze, a back/forward-cache restore or a network return, and after a hide of at least
 * WAKE_RECONNECT_AFTER_MS; otherwise `ping` (a short hide: the socket most likely survived, a pong proves it).
 */
export function decideWake(input: { cause: WakeCause; online: boolean; link: Link; hiddenMs: number }): WakeAction {
  if (!input.online) return 'offline';
  if (input.link === 'connecting') return 'nothing';
  if (input.link === 'closed' || input.cause !== 'visible') return 'reconnect';
  return input.hiddenMs >= WAKE_RECONNECT_AFTER_MS ? 'reconnect' : 'ping';
}
