import { describe, expect, test } from 'vitest';
import { createApprovalGate } from './approval-gate.ts';
import { createHookHandler } from './hook-handler.ts';
import type { HookRequest } from './hook-socket.ts';
import type { LocalTask } from './local-state.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { createWorkerApi } from './worker-api.ts';

const TASK = '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11';
const TOKEN = 'k'.repeat(43);
const WS = '/home/me/ws';
const local = (over: Partial<LocalTask> = {}): LocalTask => ({
  taskId: TASK, windowId: '@1', paneId: '%1', panePid: 1, workspace: 'ws', backend: 'claude', promptFile: '/p.txt',
  status: 'running', finish: null, openUntil: null, startedAt: 0, hookToken: TOKEN, ...over,
});

// The real gate: the home policy answers `git status` (allow) and `rm -rf /` (deny) without the Worker; anything
// it would ask about goes to a Worker that is not there, which denies.
function handler(task: LocalTask | undefined) {
  const lines: string[] = [];
  const counts: number[] = [];
  let inFlight = 0;
  const gate = createApprovalGate({
    api: createWorkerApi({ server: 'http://127.0.0.1:9', token: 'x'.repeat(40) }),
    policy: DEFAULT_POLICY, now: Date.now, log: (l) => lines.push(l),
  });
  const handle = createHookHandler({
    target: (id) => (task && id === task.taskId ? task : undefined),
    workspacePath: (name) => (name === 'ws' ? WS : undefined),
    gate,
    inFlight: (_id, d) => counts.push((inFlight += d)),
    log: (l) => lines.push(l),
  });
  return { handle: (r: HookRequest) => handle(r, new AbortController().signal), lines, counts };
}
const req = (command: string, over: Partial<HookRequest> = {}): HookRequest => ({
  v: 1, taskId: TASK, token: TOKEN, backend: 'claude', event: 'PermissionRequest',
  payload: { cwd: WS, tool_name: 'Bash', tool_input: { command } }, ...over,
});

describe('hook handler', () => {
  test('a request from the running task with its token reaches the gate (home policy allow / deny)', async () => {
    const h = handler(local());
    expect((await h.handle(req('git status'))).decision).toBe('allow');
    expect((await h.handle(req('rm -rf /'))).decision).toBe('deny');
    expect(h.counts).toEqual([1, 0, 1, 0]);
  });

  test.each([
    ['a wrong token', local(), req('git status', { token: 'z'.repeat(43) })],
    ['a token of another length', local(), req('git status', { token: 'k'.repeat(42) })],
    ['a task not running here', undefined, req('git status')],
    ['a task started without a token', local({ hookToken: null }), req('git status')],
    ['another backend than the task’s', local(), req('git status', { backend: 'codex' })],
    ['a workspace no longer allowlisted', local({ workspace: 'gone' }), req('git status')],
    ['a payload that is not a tool call', local(), req('git status', { payload: { tool_input: {} } })],
  ])('%s → deny, the gate never asked', async (_name, task, request) => {
    const h = handler(task);
    const answer = await h.handle(request);
    expect(answer.decision).toBe('deny');
    expect(h.counts).toEqual([]);
  });

  test('a tool the policy would ask about, with no Worker reachable → deny', async () => {
    const h = handler(local());
    const answer = await h.handle(req('touch approved.txt'));
    expect(answer.decision).toBe('deny');
    expect(answer.reason).toMatch(/could not get a decision/);
  });

  test('gemini: tools outside the gated set are handed back to Gemini; gated ones are decided', async () => {
    const h = handler(local({ backend: 'gemini' }));
    const gemini = (tool_name: string, command = '') =>
      req('', { backend: 'gemini', event: 'BeforeTool', payload: { cwd: WS, tool_name, tool_input: { command } } });
    expect(await h.handle(gemini('update_topic'))).toEqual({ decision: 'allow', reason: 'not gated by Hearth: Gemini CLI decides' });
    expect((await h.handle(gemini('run_shell_command', 'touch approved.txt'))).decision).toBe('deny');
    expect((await h.handle(gemini('run_shell_command', 'git status'))).decision).toBe('allow');
  });
});
