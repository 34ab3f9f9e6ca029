// Table tests for the approval countdown label and urgency.
import { describe, expect, it } from 'vitest';
import { countdown } from './approval-countdown.ts';

const DEADLINE = Date.UTC(2026, 10, 22, 12, 30, 0);

describe('countdown', () => {
  it.each<[number, string, string]>([
    [30 * 60_000, '30 min left', 'calm'],
    [29 * 60_000 + 59_000, '29 min left', 'calm'],
    [5 * 60_000, '5 min left', 'calm'],
    [5 * 60_000 - 1_000, '4 min left', 'soon'],
    [60_000, '1 min left', 'soon'],
    [59_001, '1 min left', 'soon'],
    [59_000, '59 s left', 'urgent'],
    [45_000, '45 s left', 'urgent'],
    [1, '1 s left', 'urgent'],
    [0, 'Expired', 'expired'],
    [-5_000, 'Expired', 'expired'],
    [60 * 60_000, '1 h left', 'calm'],
    [2 * 60 * 60_000 + 5 * 60_000 + 30_000, '2 h 5 min left', 'calm'],
    [24 * 60 * 60_000, '24 h left', 'calm'],
  ])('%d ms before the deadline → %s (%s)', (left, text, urgency) => {
    expect(countdown(DEADLINE, DEADLINE - left)).toEqual({ text, urgency });
  });
});
