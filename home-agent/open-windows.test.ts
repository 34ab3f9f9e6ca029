import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentToRoom, FollowUpView, TaskStatus, TaskView } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';
import { openLocalState, type LocalState, type LocalTask } from './local-state.ts';
import { createOpenWindows, type OpenWindowsDeps } from './open-windows.ts';

// The open-window flow against a scripted Worker. The tmux socket names no server, so every window reads as gone
// and closing one touches no real process (the real CLIs are in test/integration/follow-ups.test.ts).
const HELD = '0b6f1f8e-3c55-4b8e-9b1e-2f7f5f9a1c11';
const OTHER = '1b6f1f8e-3c55-4b8e-9b1e-2f7f5f9a1c12';
const conflict = () => new AgentError('conflict', 'HTTP 409', { status: 409 });

/** Poll `check` every 10 ms for up to 5 s. */
async function until(what: string, check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !check(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The held task as local state has it now. */
function stored(state: LocalState): LocalTask {
  const local = state.task(HELD);
  if (!local) throw new Error('the task is not in local state');
  return local;
}

const view = (status: TaskStatus, openUntil: number | null): TaskView => ({
  id: HELD, status, workspace: 'w', backend: 'claude', createdAt: 0, startedAt: 0, endedAt: null, exitCode: null,
  error: null, agentId: null, prompt: 'p', openUntil,
});
const followUp = (id: string, taskId: string, text: string): FollowUpView => ({
  id, taskId, status: 'pending', text, createdAt: 0, deliveredAt: null,
});

let dir: string;
let state: LocalState;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-open-'));
  state = openLocalState(join(dir, 'state.db'));
  state.addTask({ taskId: HELD, windowId: '@7', paneId: '%7', panePid: 2 ** 22 + 7, workspace: 'w', backend: 'claude', promptFile: join(dir, 'p.txt'), startedAt: 1 });
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Open windows over a scripted Worker; `calls` records every Worker call and what the room and runner got. */
function setup(api: Partial<OpenWindowsDeps['api']>) {
  const calls: string[] = [];
  const room: AgentToRoom[] = [];
  const resumed: [string, string][] = [];
  const stopping = new AbortController();
  const windows = createOpenWindows({
    socket: `hearth-unit-no-server-${process.pid}`,
    stateDir: dir,
    api: {
      finish: async () => ({}),
      close: async () => view('succeeded', null),
      task: async () => view('succeeded', Date.now() + 60_000),
      followUps: async () => [],
      deliverFollowUp: async (id) => followUp(id, HELD, ''),
      ...api,
    },
    state,
    stream: { track: () => undefined, finish: async () => [] },
    launchers: new Map(),
    sendToRoom: (message) => room.push(message) > 0,
    log: (line) => calls.push(line),
    report: (error) => calls.push(`error: ${String(error)}`),
    signal: stopping.signal,
    resume: async (local, text) => void resumed.push([local.taskId, text]),
    connected: () => true,
    pollMs: 0,
  });
  const hold = (openUntil = Date.now() + 60_000): Promise<void> => {
    state.setOpen(HELD, openUntil, null);
    return windows.hold(stored(state));
  };
  const stop = (): Promise<void> => {
    stopping.abort();
    return windows.stop();
  };
  return { windows, calls, room, resumed, hold, stop };
}

describe('open windows', () => {
  it('takes only the follow-ups of windows held here, each once, and hands their task back with the text', async () => {
    const delivered: string[] = [];
    const t = setup({
      followUps: async () => [followUp('f-other', OTHER, 'not ours'), followUp('f-taken', HELD, 'late'), followUp('f-1', HELD, 'go on')],
      deliverFollowUp: async (id) => {
        delivered.push(id);
        if (id === 'f-taken') throw conflict();
        return followUp(id, HELD, 'go on');
      },
    });
    await t.hold();
    t.windows.request();
    await until('the hand-over', () => t.resumed.length > 0);
    expect(delivered).toEqual(['f-taken', 'f-1']); // the other task's follow-up is left alone
    expect(t.resumed).toEqual([[HELD, 'go on']]);
    expect(t.windows.has(HELD)).toBe(false);
    await t.stop();
  });

  it('keeps the window when a follow-up beat the close (409), and looks for it', async () => {
    let listed = 0;
    const t = setup({
      close: async () => {
        throw conflict();
      },
      task: async () => view('running', null),
      followUps: async () => {
        listed += 1;
        return [];
      },
    });
    await t.hold(Date.now() + 20);
    await until('the follow-up check after the 409', () => listed > 0);
    expect(t.windows.has(HELD)).toBe(true);
    expect(t.room).toEqual([]);
    expect(state.task(HELD)?.status).toBe('open');
    await t.stop();
  });

  it('closes the window the owner closed: POST close, task-closed, local state gone', async () => {
    const closes: string[] = [];
    const t = setup({
      task: async () => view('succeeded', null),
      close: async (taskId) => {
        closes.push(taskId);
        return view('succeeded', null);
      },
    });
    await t.hold();
    await t.windows.check(HELD);
    expect(closes).toEqual([HELD]);
    expect(t.room).toEqual([{ type: 'task-closed', taskId: HELD }]);
    expect(state.task(HELD)).toBeUndefined();
    expect(t.calls.join('\n')).toContain('window closed (closed by the owner)');
    await t.stop();
  });

  it('closes a window whose task the Worker lost without asking to close it', async () => {
    const closes: string[] = [];
    const t = setup({
      task: async () => view('lost', null),
      close: async (taskId) => {
        closes.push(taskId);
        return view('lost', null);
      },
    });
    await t.hold();
    await t.windows.check(HELD);
    expect(closes).toEqual([]);
    expect(t.room).toEqual([{ type: 'task-closed', taskId: HELD }]);
    expect(state.task(HELD)).toBeUndefined();
    await t.stop();
  });

  it('delivers a pending keep-open finish once, then counts openUntil from when it landed', async () => {
    const finishes: unknown[] = [];
    const t = setup({
      finish: async (_taskId, finish) => {
        finishes.push(finish);
        return {};
      },
    });
    const finish = { status: 'succeeded' as const, exitCode: null, error: null, finalScreen: ['done'], keepOpenMs: 60_000 };
    state.setOpen(HELD, 1, finish);
    const before = Date.now();
    await t.windows.hold(stored(state));
    expect(finishes).toEqual([finish]);
    expect(state.task(HELD)).toMatchObject({ status: 'open', finish: null });
    expect(state.task(HELD)?.openUntil).toBeGreaterThanOrEqual(before + 60_000);
    await t.stop();
  });
});
