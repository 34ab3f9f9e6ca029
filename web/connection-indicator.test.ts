// The room light's wording per connection state.
import { describe, expect, it } from 'vitest';
import { roomText } from './connection-indicator.ts';
import type { RoomStatus } from './room-client.ts';

describe('roomText', () => {
  const cases: [RoomStatus, string][] = [
    [{ state: 'connecting' }, 'connecting…'],
    [{ state: 'connected' }, 'live'],
    [{ state: 'reconnecting', attempt: 1 }, 'reconnecting…'],
    [{ state: 'reconnecting', attempt: 4 }, 'reconnecting… (attempt 4)'],
    [{ state: 'offline' }, 'offline'],
    [{ state: 'signed-out' }, 'signed out'],
  ];
  it.each(cases)('%o → %s', (status, text) => expect(roomText(status)).toBe(text));
});
