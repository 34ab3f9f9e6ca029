// The stale-pane note: its wording per link state and the time it names.
import { describe, expect, it } from 'vitest';
import { staleNote, timeOfDay } from './live-note.ts';

const at = (h: number, m: number, s: number): number => new Date(2026, 10, 22, h, m, s, 640).getTime();

describe('timeOfDay', () => {
  it.each([
    [at(14, 2, 11), '14:02:11'],
    [at(0, 0, 0), '00:00:00'],
    [at(9, 5, 59), '09:05:59'],
    [at(23, 59, 7), '23:59:07'],
  ])('%d → %s', (ms, text) => expect(timeOfDay(ms)).toBe(text));
});

describe('staleNote', () => {
  it.each([
    ['reconnecting', 'Reconnecting — showing the screen as of 14:02:11'],
    ['offline', 'Offline — showing the screen as of 14:02:11'],
    ['connected', 'Catching up — showing the screen as of 14:02:11'],
    ['connecting', 'Connecting — showing the screen as of 14:02:11'],
    ['signed-out', 'Signed out — showing the screen as of 14:02:11'],
  ] as const)('%s', (state, text) => expect(staleNote(state, at(14, 2, 11))).toBe(text));
});
