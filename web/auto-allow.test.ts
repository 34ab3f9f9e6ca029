// When the auto-allow control shows, and what it says.
import { describe, expect, it } from 'vitest';
import { autoAllowModel, clockTime } from './auto-allow.ts';

const NOW = new Date(2026, 10, 22, 9, 5, 30).getTime();

describe('clockTime', () => {
  it.each([
    [new Date(2026, 10, 22, 9, 5).getTime(), '09:05'],
    [new Date(2026, 10, 22, 23, 59, 59).getTime(), '23:59'],
    [new Date(2026, 10, 22, 0, 0).getTime(), '00:00'],
  ])('%d → %s', (ms, text) => expect(clockTime(ms)).toBe(text));
});

describe('autoAllowModel', () => {
  it('is on while the deadline is ahead, with the local end time', () => {
    const until = new Date(2026, 10, 22, 9, 20, 30).getTime();
    expect(autoAllowModel({ status: 'running', autoAllowUntil: until, backend: 'claude' }, NOW)).toEqual({
      shown: true,
      on: true,
      text: 'Auto-allowing what your home policy would ask about until 09:20',
    });
    expect(autoAllowModel({ status: 'waiting_approval', autoAllowUntil: until, backend: 'claude' }, until).on).toBe(false);
  });

  it.each([
    ['running', null, true],
    ['running', undefined, true],
    ['waiting_approval', null, true],
    ['queued', null, false],
    ['succeeded', NOW + 60_000, false],
    ['cancelled', null, false],
  ] as const)('status %s, until %s → shown %s and off', (status, autoAllowUntil, shown) => {
    const model = autoAllowModel({ status, autoAllowUntil, backend: 'codex' }, NOW);
    expect(model.shown).toBe(shown);
    if (autoAllowUntil === null || autoAllowUntil === undefined || !shown) expect(model).toMatchObject({ on: false, text: '' });
  });
});

it('shell tasks ask for no approvals, so they get no auto-allow control', () => {
  expect(autoAllowModel({ status: 'running', autoAllowUntil: null, backend: 'shell' }, 0).shown).toBe(false);
});
