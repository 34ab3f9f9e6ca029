// Which task /abort acts on, and what /resume lists for a search.
import { describe, expect, it } from 'vitest';
import type { TaskStatus, TaskView } from '../protocol/index.ts';
import { abortTarget, matchesQuery, RESUME_RECENT_MAX, resumeLists } from './slash-tasks.ts';

const NOW = 1_800_000_000_000;
let n = 0;
function task(status: TaskStatus, createdAt: number, extra: Partial<TaskView> = {}): TaskView {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    status,
    workspace: 'demo',
    backend: 'claude',
    createdAt,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    error: null,
    agentId: null,
    prompt: `prompt ${n}`,
    ...extra,
  };
}

describe('abortTarget', () => {
  it('takes the task in view while it can stop, and says so once it has ended', () => {
    const running = task('waiting_approval', NOW);
    expect(abortTarget(running, [])).toEqual({ kind: 'cancel', task: running });
    expect(abortTarget(task('succeeded', NOW), [running])).toEqual({ kind: 'none', message: 'This task has already ended (succeeded).' });
  });

  it('on the home page takes the newest task still queued or running', () => {
    const older = task('running', NOW - 60_000);
    const newer = task('queued', NOW - 1_000);
    const done = task('failed', NOW);
    expect(abortTarget(null, [older, done, newer])).toEqual({ kind: 'cancel', task: newer });
  });

  it('says nothing is running when nothing is', () => {
    expect(abortTarget(null, [task('succeeded', NOW), task('cancelled', NOW)])).toEqual({ kind: 'none', message: 'Nothing is running.' });
  });
});

describe('resumeLists', () => {
  it('puts open sessions first, then the rest newest first; a session whose time ran out is just recent', () => {
    const open = task('succeeded', NOW - 5_000, { openUntil: NOW + 60_000 });
    const expired = task('succeeded', NOW - 1_000, { openUntil: NOW - 1 });
    const failed = task('failed', NOW - 2_000);
    expect(resumeLists([failed, open, expired], NOW, '')).toEqual({ open: [open], recent: [expired, failed] });
  });

  it('searches every word in the prompt, backend, workspace, model and status', () => {
    const a = task('succeeded', NOW, { prompt: 'Fix the login form', backend: 'codex', model: 'gpt-5' });
    expect(matchesQuery(a, 'LOGIN codex')).toBe(true);
    expect(matchesQuery(a, 'gpt-5 succeeded')).toBe(true);
    expect(matchesQuery(a, 'login gemini')).toBe(false);
    expect(resumeLists([a, task('failed', NOW)], NOW, 'form').recent).toEqual([a]);
  });

  it('lists at most RESUME_RECENT_MAX recent tasks', () => {
    const many = Array.from({ length: RESUME_RECENT_MAX + 5 }, (_, i) => task('succeeded', NOW - i));
    expect(resumeLists(many, NOW, '').recent).toHaveLength(RESUME_RECENT_MAX);
  });
});
