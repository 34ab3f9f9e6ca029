// Table tests for the task list's time labels.
import { describe, expect, it } from 'vitest';
import { formatDuration, relativeTime } from './relative-time.ts';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('relativeTime', () => {
  it.each<[number, string]>([
    [0, 'just now'],
    [-60_000, 'just now'],
    [4_999, 'just now'],
    [5_000, '5 s ago'],
    [59_999, '59 s ago'],
    [60_000, '1 min ago'],
    [3_599_999, '59 min ago'],
    [3_600_000, '1 h ago'],
    [86_400_000, '1 d ago'],
    [6 * 86_400_000, '6 d ago'],
    [7 * 86_400_000, '2026-11-15'],
  ])('%d ms ago → %s', (age, expected) => expect(relativeTime(NOW - age, NOW)).toBe(expected));
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0 s'],
    [-5, '0 s'],
    [4_400, '4 s'],
    [60_000, '1 min'],
    [61_000, '1 min 1 s'],
    [3_600_000, '1 h'],
    [3_720_000, '1 h 2 min'],
  ])('%d ms → %s', (ms, expected) => expect(formatDuration(ms)).toBe(expected));
});
