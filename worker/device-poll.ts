// The token endpoint's decision for one poll of a device_code (RFC 8628 §3.4–3.5). Pure: no I/O, tested by table.

export type DeviceCodeState = {
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms of the previous poll, or null for the first. */
  lastPolledAt: number | null;
  /** Seconds. */
  interval: number;
};

export type PollDecision = 'invalid_grant' | 'expired_token' | 'access_denied' | 'slow_down' | 'authorization_pending' | 'issue';

/** Seconds added to the interval on every slow_down (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * What to answer a poll at `now` (ms): a redeemed code is gone (invalid_grant); then expiry, denial, polling
 * sooner than `interval` after the previous poll (slow_down), pending, and finally `issue` for an approved code.
 */
export function decidePoll(code: DeviceCodeState, now: number): PollDecision {
  if (code.status === 'redeemed') return 'invalid_grant';
  if (now >= code.expiresAt) return 'expired_token';
  if (code.status === 'denied') return 'access_denied';
  if (code.lastPolledAt !== null && now - code.lastPolledAt < code.interval * 1000) return 'slow_down';
  if (code.status === 'pending') return 'authorization_pending';
  return 'issue';
}
