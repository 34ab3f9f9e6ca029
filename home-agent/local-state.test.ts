import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openLocalState } from './local-state.ts';

const TASK = '0b6f1f8e-3c55-4b8e-9b1e-2f7f5f9a1c11';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const addTask = (state: ReturnType<typeof openLocalState>): void =>
  state.addTask({
    taskId: TASK, windowId: '@1', paneId: '%1', panePid: 42, workspace: 'w', backend: 'shell',
    promptFile: '/p', startedAt: 1,
  });
const body = (text: string) => ({ full: false, width: 80, height: 2, rows: [[0, text]] as [number, string][] });

describe('local state', () => {
  it('is a 0600 file', () => {
    openLocalState(join(dir, 'state.db')).close();
    expect(statSync(join(dir, 'state.db')).mode & 0o777).toBe(0o600);
  });

  it('numbers frames from 1, keeps them until acked, and survives a reopen', () => {
    const file = join(dir, 'state.db');
    let state = openLocalState(file);
    addTask(state);
    expect(state.enqueueFrame(TASK, body('a')).seq).toBe(1);
    expect(state.enqueueFrame(TASK, body('b')).seq).toBe(2);
    expect(state.enqueueFrame(TASK, body('c')).seq).toBe(3);
    state.ack(TASK, 2);
    state.close();

    state = openLocalState(file);
    expect(state.outbox().map((f) => [f.seq, f.body.rows[0]?.[1]])).toEqual([[3, 'c']]);
    expect(state.enqueueFrame(TASK, body('d')).seq).toBe(4);
    expect(state.outboxSize(TASK)).toBe(2);
    expect(state.tasks()[0]).toMatchObject({ taskId: TASK, paneId: '%1', status: 'running', finish: null });
    state.close();
  });

  it('keeps a pending finish and forgets a removed task with its outbox', () => {
    const state = openLocalState(join(dir, 'state.db'));
    addTask(state);
    state.enqueueFrame(TASK, body('a'));
    const finish = { status: 'failed' as const, exitCode: 3, error: null, finalScreen: ['x'] };
    state.setFinishing(TASK, finish);
    expect(state.task(TASK)).toMatchObject({ status: 'finishing', finish });
    state.removeTask(TASK);
    expect(state.tasks()).toEqual([]);
    expect(state.outbox()).toEqual([]);
    state.close();
  });

  it('holds an open window until its deadline across a reopen, and runs it again on a follow-up', () => {
    const file = join(dir, 'state.db');
    let state = openLocalState(file);
    addTask(state);
    const finish = { status: 'succeeded' as const, exitCode: null, error: null, finalScreen: ['idle'], keepOpenMs: 60_000 };
    state.setOpen(TASK, 1_000, finish);
    expect(state.task(TASK)).toMatchObject({ status: 'open', openUntil: 1_000, finish });
    state.setOpen(TASK, 2_000, null); // the finish landed
    state.close();

    state = openLocalState(file);
    expect(state.task(TASK)).toMatchObject({ status: 'open', openUntil: 2_000, finish: null });
    state.setRunning(TASK);
    expect(state.task(TASK)).toMatchObject({ status: 'running', openUntil: null, finish: null });
    state.setFinishing(TASK, { ...finish, keepOpenMs: undefined, status: 'failed' });
    expect(state.task(TASK)).toMatchObject({ status: 'finishing', openUntil: null });
    state.close();
  });

  it('keeps each task\'s hook token, and opens a state file from before hooks (no token: its hooks are denied)', () => {
    const file = join(dir, 'state.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE tasks (
      task_id TEXT PRIMARY KEY, window_id TEXT NOT NULL, pane_id TEXT NOT NULL, pane_pid INTEGER NOT NULL,
      workspace TEXT NOT NULL, backend TEXT NOT NULL, prompt_file TEXT NOT NULL, status TEXT NOT NULL,
      finish TEXT, started_at INTEGER NOT NULL, next_seq INTEGER NOT NULL DEFAULT 1)`);
    old.prepare(`INSERT INTO tasks VALUES ('${TASK}', '@1', '%1', 42, 'w', 'claude', '/p', 'running', NULL, 1, 1)`).run();
    old.close();
    const state = openLocalState(file);
    expect(state.task(TASK)).toMatchObject({ hookToken: null, openUntil: null, status: 'running' });
    const other = '1b6f1f8e-3c55-4b8e-9b1e-2f7f5f9a1c12';
    state.addTask({ taskId: other, windowId: '@2', paneId: '%2', panePid: 43, workspace: 'w', backend: 'codex', promptFile: '/q', startedAt: 2, hookToken: 'secret-token-value' });
    expect(state.task(other)?.hookToken).toBe('secret-token-value');
    state.close();
  });
});
