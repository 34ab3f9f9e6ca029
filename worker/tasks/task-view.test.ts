import { expect, it } from 'vitest';
import { TaskView } from '../../protocol/index.ts';
import { liveAutoAllow, toTaskView, type TaskRow } from './task-view.ts';

const row: TaskRow = {
  id: '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11',
  ownerId: '6f1c2d8e-4b1a-4c3e-9a53-3b7d1c0e5f21',
  status: 'running',
  workspace: 'repo',
  backend: 'shell',
  prompt: 'ls',
  createdAt: 1,
  startedAt: 2,
  endedAt: null,
  exitCode: null,
  errorCode: null,
  errorMessage: null,
  agentId: null,
  leaseExpiresAt: 99,
  agentFinishedAt: null,
  openUntil: null,
  finalScreen: null,
  autoAllowUntil: 5_000,
  model: null,
};

it('shows auto-allow only while it lies ahead', () => {
  expect(liveAutoAllow(null, 0)).toBeNull();
  expect(liveAutoAllow(5_000, 4_999)).toBe(5_000);
  expect(liveAutoAllow(5_000, 5_000)).toBeNull();
  expect(TaskView.parse(toTaskView(row, 1_000)).autoAllowUntil).toBe(5_000);
  expect(toTaskView(row, 6_000).autoAllowUntil).toBeNull();
  expect(toTaskView({ ...row, autoAllowUntil: null }, 0).autoAllowUntil).toBeNull();
});

it('shows openUntil only while a succeeded task’s window is open, and followUps only when given', () => {
  const done: TaskRow = { ...row, status: 'succeeded', openUntil: 8_000 };
  expect(TaskView.parse(toTaskView(done, 7_999)).openUntil).toBe(8_000);
  expect(toTaskView(done, 8_000).openUntil).toBeNull();
  expect(toTaskView({ ...done, status: 'running' }, 0).openUntil).toBeNull();
  expect(toTaskView(done, 0)).not.toHaveProperty('followUps');
  const followUp = { id: '0b5c2f1e-3c44-4f7e-9a35-1b2c3d4e5f60', taskId: row.id, status: 'pending' as const, text: 'more', createdAt: 3, deliveredAt: null };
  expect(TaskView.parse(toTaskView(done, 0, true, [followUp])).followUps).toEqual([followUp]);
});
