import { expect, test } from 'vitest';
import { newTurnWatch, observe, turnDone } from './turn-watch.ts';

test('the start screen looks idle but does not count until the CLI has worked', () => {
  let w = observe(newTurnWatch(), 'idle', 0);
  expect(turnDone(w, 10_000)).toBe(false);
  w = observe(w, 'working', 100);
  w = observe(w, 'idle', 200);
  expect(turnDone(w, 1_600)).toBe(false);
  expect(turnDone(w, 1_700)).toBe(true);
});

test('idle must be stable: working again, or a dialog, restarts the wait', () => {
  let w = observe(observe(newTurnWatch(), 'working', 0), 'idle', 100);
  w = observe(w, 'working', 1_000);
  expect(turnDone(w, 5_000)).toBe(false);
  w = observe(observe(w, 'idle', 2_000), 'other', 2_500);
  expect(turnDone(w, 9_000)).toBe(false);
  w = observe(observe(w, 'idle', 3_000), 'idle', 3_500);
  expect(w.idleSince).toBe(3_000);
  expect(turnDone(w, 4_500)).toBe(true);
});
