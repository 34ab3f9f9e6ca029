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
};

it('shows auto-allow only while it lies ahead', () => {
  expect(liveAutoAllow(null, 0)).toBeNull();
  expect(liveAutoAllow(5_000, 4_999)).toBe(5_000);
  expect(liveAutoAllow(5_000, 5_000)).toBeNull();
  expect(TaskView.parse(toTaskView(row, 1_000)).autoAllowUntil).toBe(5_000);
  expect(toTaskView(row, 6_000).autoAllowUntil).toBeNull();
  expect(toTaskView({ ...row, autoAllowUntil: null }, 0).autoAllowUntil).toBeNull();
});
