import { describe, expect, it } from 'vitest';
import { whyNotDecided, type MissedRow } from './decision-miss.ts';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const NOW = 1_000_000;
const pending: MissedRow = { status: 'pending', deadlineAt: NOW + 60_000, inputHash: HASH, decidedBy: null };

describe('whyNotDecided', () => {
  it.each<[string, MissedRow | null, string, ReturnType<typeof whyNotDecided>]>([
    ['unknown or another owner', null, HASH, { status: 404 }],
    ['already allowed', { ...pending, status: 'allowed', decidedBy: 'session:s1' }, HASH, { status: 409, detail: 'already allowed' }],
    ['already denied', { ...pending, status: 'denied', decidedBy: 'session:s1' }, HASH, { status: 409, detail: 'already denied' }],
    ['swept at the deadline', { ...pending, status: 'expired', decidedBy: 'deadline' }, HASH, { status: 409, detail: 'expired: the deadline passed' }],
    ['pending but past the deadline (not swept yet)', { ...pending, deadlineAt: NOW }, HASH, { status: 409, detail: 'expired: the deadline passed' }],
    ['withdrawn by the agent', { ...pending, status: 'expired', decidedBy: 'device:d1' }, HASH, { status: 409, detail: 'expired: the home agent withdrew the request' }],
    ['task ended', { ...pending, status: 'expired', decidedBy: 'task-ended' }, HASH, { status: 409, detail: 'expired: the task ended' }],
    ['tool input changed', pending, OTHER, { status: 409, detail: 'the tool input changed: reload the approval' }],
    ['decided beats a changed hash', { ...pending, status: 'allowed' }, OTHER, { status: 409, detail: 'already allowed' }],
    ['expired beats a changed hash', { ...pending, deadlineAt: NOW - 1 }, OTHER, { status: 409, detail: 'expired: the deadline passed' }],
    ['still decidable: a race', pending, HASH, { status: 409, detail: 'the approval changed meanwhile: reload it' }],
  ])('%s', (_name, row, inputHash, expected) => {
    expect(whyNotDecided(row, { inputHash, now: NOW })).toEqual(expected);
  });

  it('never answers 200: every miss is a 404 or a 409', () => {
    for (const status of ['pending', 'allowed', 'denied', 'expired'] as const) {
      expect([404, 409]).toContain(whyNotDecided({ ...pending, status }, { inputHash: HASH, now: NOW }).status);
    }
  });
});
