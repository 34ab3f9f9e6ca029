// When a task is open for a follow-up, what the countdown says, the conversation's order and states, and id reuse.
import { describe, expect, it } from 'vitest';
import type { FollowUpView, TaskStatus } from '../protocol/index.ts';
import { conversation, followsLive, hasConversation, isOpenAt, openLine, outgoing } from './follow-up-model.ts';

const NOW = new Date(2026, 10, 22, 9, 5, 30).getTime();
const TASK = '0b6b8c1e-2f47-4c3a-9d1e-5a7b9c2d4e6f';

const followUp = (id: string, createdAt: number, status: FollowUpView['status']): FollowUpView => ({
  id,
  taskId: TASK,
  status,
  text: `text ${id}`,
  createdAt,
  deliveredAt: status === 'delivered' ? createdAt + 1 : null,
});

describe('isOpenAt and followsLive', () => {
  it.each<[TaskStatus, number | null | undefined, boolean, boolean]>([
    ['succeeded', NOW + 1, true, true],
    ['succeeded', NOW, false, false],
    ['succeeded', null, false, false],
    ['succeeded', undefined, false, false],
    ['running', null, false, true],
    ['waiting_approval', NOW + 60_000, false, true],
    ['queued', null, false, true],
    ['failed', NOW + 60_000, false, false],
    ['cancelled', null, false, false],
  ])('%s, openUntil %s → open %s, follows %s', (status, openUntil, open, follows) => {
    expect(isOpenAt({ status, openUntil }, NOW)).toBe(open);
    expect(followsLive({ status, openUntil }, NOW)).toBe(follows);
  });
});

describe('openLine', () => {
  it('counts down and names the local end time', () => {
    const until = new Date(2026, 10, 22, 9, 35, 0).getTime();
    expect(openLine(until, NOW)).toBe('Session open for 29 min 30 s more (until 09:35).');
    expect(openLine(until, until - 4_000)).toBe('Session open for 4 s more (until 09:35).');
  });
});

describe('conversation', () => {
  it('is the prompt, then the follow-ups oldest first, sent while pending and typed once delivered', () => {
    const task = { id: TASK, prompt: 'first ask', createdAt: NOW - 10_000 };
    const entries = conversation(task, [followUp('b', NOW - 1_000, 'pending'), followUp('a', NOW - 5_000, 'delivered')]);
    expect(entries.map((e) => [e.kind, e.text, e.state])).toEqual([
      ['prompt', 'first ask', 'prompt'],
      ['follow-up', 'text a', 'typed'],
      ['follow-up', 'text b', 'sent'],
    ]);
    expect(entries[0]?.at).toBe(NOW - 10_000);
  });

  it('is shown while the window is open or once there are follow-ups', () => {
    expect(hasConversation({ status: 'succeeded', openUntil: NOW + 1 }, NOW)).toBe(true);
    expect(hasConversation({ status: 'succeeded', openUntil: null, followUps: [] }, NOW)).toBe(false);
    expect(hasConversation({ status: 'running', openUntil: null, followUps: [followUp('a', NOW, 'pending')] }, NOW)).toBe(true);
  });
});

describe('outgoing', () => {
  let n = 0;
  const newId = (): string => `id-${++n}`;

  it('reuses the id for the same text to the same task (a retry), and takes a fresh one otherwise', () => {
    const first = outgoing(null, TASK, 'hello', newId);
    expect(outgoing(first, TASK, 'hello', newId)).toBe(first);
    const edited = outgoing(first, TASK, 'hello!', newId);
    expect(edited.id).not.toBe(first.id);
    expect(outgoing(first, 'another-task', 'hello', newId).id).not.toBe(first.id);
  });
});
