// Table tests for the room socket's retry waits and wake-up decisions.
import { describe, expect, it } from 'vitest';
import { decideWake, retryDelayMs, WAKE_RECONNECT_AFTER_MS, type Link, type WakeAction, type WakeCause } from './reconnect-policy.ts';

describe('retryDelayMs', () => {
  it.each([
    [1, 0.99, 0],
    [2, 0, 500],
    [2, 0.999, 1000],
    [3, 0, 750],
    [4, 0.5, 1688],
    [20, 0.999, 9_995],
    [20, 0, 5_000],
  ])('attempt %d with jitter %d waits %d ms', (attempt, jitter, ms) => {
    expect(retryDelayMs(attempt, jitter)).toBe(ms);
  });

  it('never waits less for a later attempt at the same jitter', () => {
    const waits = Array.from({ length: 30 }, (_, i) => retryDelayMs(i + 1, 0.5));
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
  });
});

describe('decideWake', () => {
  const long = WAKE_RECONNECT_AFTER_MS;
  const cases: [string, WakeCause, boolean, Link, number, WakeAction][] = [
    ['no network: stay offline', 'visible', false, 'closed', long, 'offline'],
    ['no network even with an open socket', 'online', false, 'open', 0, 'offline'],
    ['an attempt is in flight: let it finish', 'visible', true, 'connecting', long, 'nothing'],
    ['closed (waiting out a backoff): go now', 'visible', true, 'closed', 0, 'reconnect'],
    ['the network came back', 'online', true, 'closed', 0, 'reconnect'],
    ['the network came back under an open socket', 'online', true, 'open', 0, 'reconnect'],
    ['unfrozen: the socket is suspect', 'resume', true, 'open', 0, 'reconnect'],
    ['restored from the back/forward cache', 'pageshow', true, 'open', 0, 'reconnect'],
    ['visible after a long hide', 'visible', true, 'open', long, 'reconnect'],
    ['visible after a short hide: ping', 'visible', true, 'open', long - 1, 'ping'],
  ];
  it.each(cases)('%s', (_name, cause, online, link, hiddenMs, action) => {
    expect(decideWake({ cause, online, link, hiddenMs })).toBe(action);
  });
});
