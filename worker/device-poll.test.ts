import { describe, expect, it } from 'vitest';
import { decidePoll, type DeviceCodeState, type PollDecision } from './device-poll.ts';

const base: DeviceCodeState = { status: 'pending', expiresAt: 600_000, lastPolledAt: null, interval: 5 };

describe('decidePoll', () => {
  const table: [string, Partial<DeviceCodeState>, number, PollDecision][] = [
    ['first poll of a pending code', {}, 1_000, 'authorization_pending'],
    ['poll after the interval', { lastPolledAt: 1_000 }, 6_000, 'authorization_pending'],
    ['poll sooner than the interval', { lastPolledAt: 1_000 }, 5_999, 'slow_down'],
    ['widened interval is honoured', { lastPolledAt: 1_000, interval: 10 }, 9_000, 'slow_down'],
    ['approved, first poll', { status: 'approved' }, 1_000, 'issue'],
    ['approved but polled too fast', { status: 'approved', lastPolledAt: 1_000 }, 2_000, 'slow_down'],
    ['denied', { status: 'denied' }, 1_000, 'access_denied'],
    ['denied even when polled fast', { status: 'denied', lastPolledAt: 999 }, 1_000, 'access_denied'],
    ['expired pending', {}, 600_000, 'expired_token'],
    ['expired approved', { status: 'approved' }, 700_000, 'expired_token'],
    ['redeemed', { status: 'redeemed' }, 1_000, 'invalid_grant'],
    ['redeemed and expired', { status: 'redeemed' }, 900_000, 'invalid_grant'],
  ];
  it.each(table)('%s', (_name, patch, now, expected) => {
    expect(decidePoll({ ...base, ...patch }, now)).toBe(expected);
  });
});
