import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../protocol/index.ts';
import { isOpen, liveOpenUntil, retryOutcome, whyNotDelivered, whyNotOpen } from './follow-up-rules.ts';

const NOW = 10_000;

describe('the open window', () => {
  it.each<[string, TaskStatus, number | null, string | null]>([
    ['succeeded, open past now', 'succeeded', NOW + 1, null],
    ['succeeded, closed', 'succeeded', null, 'window is closed'],
    ['succeeded, time ran out exactly now', 'succeeded', NOW, 'ran out'],
    ['succeeded, time ran out before', 'succeeded', NOW - 1, 'ran out'],
    ['queued', 'queued', null, 'not started'],
    ['running (a follow-up won)', 'running', null, 'is running'],
    ['waiting for approval', 'waiting_approval', null, 'is running'],
    ['failed, even with a stale openUntil', 'failed', NOW + 1, 'ended failed'],
    ['timed out', 'timed_out', null, 'ended timed out'],
    ['cancelled', 'cancelled', null, 'ended cancelled'],
    ['lost', 'lost', null, 'ended lost'],
  ])('%s', (_name, status, openUntil, why) => {
    const task = { status, openUntil };
    expect(isOpen(task, NOW)).toBe(why === null);
    expect(liveOpenUntil(task, NOW)).toBe(why === null ? openUntil : null);
    if (why === null) expect(whyNotOpen(task, NOW)).toBeNull();
    else expect(whyNotOpen(task, NOW)).toContain(why);
  });
});

describe('retryOutcome', () => {
  const stored = { ownerId: 'alice', taskId: 't1', text: 'and now the tests' };
  it.each<[string, Partial<typeof stored>, 'same' | 'clash']>([
    ['same owner, task and text: a retry', {}, 'same'],
    ['other text', { text: 'and now the docs' }, 'clash'],
    ['text differing only in trailing space', { text: 'and now the tests ' }, 'clash'],
    ['other task', { taskId: 't2' }, 'clash'],
    ['other owner', { ownerId: 'bob' }, 'clash'],
  ])('%s', (_name, change, expected) => {
    expect(retryOutcome(stored, { ...stored, id: 'f1', ...change })).toBe(expected);
  });
});

describe('whyNotDelivered', () => {
  it('names a second delivery, then an ended task; a deliverable one has no reason', () => {
    expect(whyNotDelivered('delivered', 'running')).toContain('already delivered');
    expect(whyNotDelivered('pending', 'cancelled')).toContain('task is cancelled');
    expect(whyNotDelivered('pending', 'timed_out')).toContain('task is timed out');
    expect(whyNotDelivered('pending', 'running')).toBeNull();
    expect(whyNotDelivered('pending', 'waiting_approval')).toBeNull();
  });
});
