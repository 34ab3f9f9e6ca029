// How each push-service status counts for a subscription's health (RFC 8030 §5, §8.4).
import { describe, expect, it } from 'vitest';
import { outcomeOf } from './push-send.ts';

describe('outcomeOf', () => {
  it.each([
    [201, 'sent'],
    [202, 'sent'],
    [404, 'gone'],
    [410, 'gone'],
    [429, 'busy'],
    [500, 'failed'],
    [503, 'failed'],
    [301, 'failed'],
    [400, 'failed'],
    [413, 'failed'],
  ] as const)('%i → %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});
