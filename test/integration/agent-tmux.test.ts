// The home agent against REAL tmux on a private socket: the shell backend, the pane stream, exit detection,
// process-tree kill, and hostile prompts / typed text that must never become tmux commands.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaneFrame } from '../../protocol/index.ts';
import { availableLaunchers } from '../../home-agent/backends/available.ts';
import { parseControlLine, SUBSCRIBE_DEAD, type ControlEvent } from '../../home-agent/control-mode.ts';
import { openLocalState, type LocalState } from '../../home-agent/local-state.ts';
import { createPaneStream, type PaneStream } from '../../home-agent/pane-stream.ts';
import { findTaskProcesses, killTaskProcesses } from '../../home-agent/process-tree.ts';
import { admitTask } from '../../home-agent/task-admission.ts';
import { launchTask, markerValue, taskExit, type Launched } from '../../home-agent/task-launch.ts';
import {
  attachControl,
  capturePane,
  ensureSession,
  killServer,
  killWindow,
  listPanes,
  paneState,
  typeText,
  type ControlClient,
} from '../../home-agent/tmux.ts';
import { cmdline, isAlive, uniqueSocket, waitFor } from '../support/tmux.ts';

const socket = uniqueSocket('tmux');
let root: string;
let workspace: string;
let state: LocalState;
let stream: PaneStream;
let control: ControlClient;
const events: ControlEvent[] = [];
const frames: PaneFrame[] = [];
const launchers = availableLaunchers('');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hearth-agent-tmux-'));
  workspace = join(root, 'repo');
  await execa('git', ['init', '-q', workspace]);
  await ensureSession(socket);
  state = openLocalState(join(root, 'state.db'));
  stream = createPaneStream({
    socket,
    state,
    send: (frame) => {
      frames.push(PaneFrame.parse(frame));
      return true;
    },
    isReady: () => true,
    report: (error) => {
      throw error;
    },
  });
  control = attachControl(socket, (line) => {
    const event = parseControlLine(line);
    if (!event) return;
    events.push(event);
    if (event.kind === 'output') stream.onOutput(event.paneId);
  });
  control.command(SUBSCRIBE_DEAD);
});

afterAll(async () => {
  await stream?.stopAll();
  await control?.close();
  await killTaskProcesses({ marker: { prefix: `${socket}:` } });
  await killServer(socket);
  state?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Admit and launch a shell task like the runner does, and stream its pane. */
async function startShellTask(prompt: string): Promise<Launched & { taskId: string }> {
  const taskId = randomUUID();
  const admission = admitTask({ workspace: 'repo', backend: 'shell', prompt }, [{ name: 'repo', path: workspace }], launchers);
  if (!admission.ok) throw new Error(`refused: ${admission.error.message}`);
  const launched = await launchTask(socket, root, { id: taskId, prompt }, admission);
  state.addTask({ taskId, ...launched, workspace: 'repo', backend: 'shell', startedAt: Date.now() });
  stream.track(taskId, launched.paneId);
  return { taskId, ...launched };
}

/** The screen a receiver holds after applying this task's frames in order. */
function screenOf(taskId: string): string[] {
  let rows: string[] = [];
  for (const frame of frames.filter((f) => f.taskId === taskId)) {
    if (frame.body.full) rows = Array.from({ length: frame.body.height }, () => '');
    for (const [i, text] of frame.body.rows) rows[i] = text;
  }
  return rows;
}

const deadEvent = (paneId: string) => () =>
  events.find((e): e is Extract<ControlEvent, { kind: 'pane-dead' }> => e.kind === 'pane-dead' && e.paneId === paneId);

describe('shell backend in real tmux', () => {
  it('runs the script in the workspace and streams its output while it runs', async () => {
    const task = await startShellTask('pwd\ngit rev-parse --is-inside-work-tree\nfor i in 1 2 3; do echo tick-$i; sleep 0.2; done\nsleep 30\n');
    await waitFor('tick-3 on the streamed screen', () => screenOf(task.taskId).includes('tick-3'));
    const screen = screenOf(task.taskId);
    expect(screen).toContain(workspace);
    expect(screen).toContain('true');
    expect((await paneState(socket, task.paneId))?.dead).toBe(false);

    const own = frames.filter((f) => f.taskId === task.taskId);
    expect(own[0]?.seq).toBe(1);
    expect(own[0]?.body.full).toBe(true);
    own.forEach((f, i) => expect(f.seq).toBe(i + 1));
    expect(own.slice(1).every((f) => !f.body.full && f.body.rows.length < f.body.height)).toBe(true);
    expect(statSync(task.promptFile).mode & 0o777).toBe(0o600);

    await killTaskProcesses({ rootPid: task.panePid, marker: { value: markerValue(socket, task.taskId) } });
    await stream.finish(task.taskId);
    await killWindow(socket, task.windowId);
  });

  it.each([
    [0, 'exit 0'],
    [3, 'echo failing; exit 3'],
  ])('detects exit status %i without polling', async (status, prompt) => {
    const task = await startShellTask(prompt);
    await waitFor('pane-dead notification', deadEvent(task.paneId));
    expect(await taskExit(socket, task.paneId, task.promptFile)).toEqual({ status, signal: null });
    await stream.finish(task.taskId);
    await killWindow(socket, task.windowId);
  });

  it('a cancel kills the whole process tree, including detached children', async () => {
    const task = await startShellTask('sleep 1000 &\n(sleep 1001 &)\nsetsid sleep 1002 &\necho started\nwait\n');
    const marker = { value: markerValue(socket, task.taskId) };
    await waitFor('the task to start its children', () => screenOf(task.taskId).includes('started'));
    const pids = await waitFor('three sleeps', () => {
      const found = findTaskProcesses({ rootPid: task.panePid, marker });
      return found.filter((pid) => /^sleep 100[012]$/.test(cmdline(pid))).length === 3 && found;
    });
    expect(pids).toContain(task.panePid);

    const left = await killTaskProcesses({ rootPid: task.panePid, marker });
    expect(left).toEqual([]);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} (${cmdline(pid)})`).toBe(false);
    await waitFor('pane-dead after the kill', deadEvent(task.paneId));
    await stream.finish(task.taskId);
    await killWindow(socket, task.windowId);
  });
});

describe('hostile input never becomes a tmux command', () => {
  const windowsNow = async (): Promise<string[]> => (await listPanes(socket)).map((p) => `${p.windowId} ${p.paneId} ${p.pid}`);

  it.each([
    ["printf '%s\\n' 'a;'", ['a;']],
    ["printf '%s\\n' '-t' '--' '-e x' ';'", ['-t', '--', '-e x', ';']],
    ["echo C-c Enter kill-server \\; 'kill-server;' '#(touch pwned)' '#{pane_id}'", ['C-c Enter kill-server ; kill-server; #(touch pwned) #{pane_id}']],
    ["-x; kill-server;\necho after-dash", ['after-dash']],
    [`: '${'y'.repeat(60_000)}'\necho big-ok`, ['big-ok']],
  ])('prompt %# runs only as literal script text', async (prompt, expected) => {
    const before = await windowsNow();
    const task = await startShellTask(prompt);
    await waitFor('the script to end', deadEvent(task.paneId));
    const capture = await capturePane(socket, task.paneId);
    const lines = (capture?.text ?? '').split('\n').map((l) => l.trimEnd());
    for (const line of expected) expect(lines).toContain(line);
    expect(readFileSync(task.promptFile, 'utf8')).toBe(prompt);
    await stream.finish(task.taskId);
    await killWindow(socket, task.windowId);
    expect(await windowsNow()).toEqual(before);
    expect(statSync(workspace).isDirectory()).toBe(true);
    expect(() => statSync(join(workspace, 'pwned'))).toThrow();
  });

  it.each([
    ['ESC sequences', 'echo \u001b]52;c;AAAA\u0007hi'],
    ['bracketed-paste end', 'echo \u001b[201~; kill-server'],
    ['NUL', 'echo a\u0000b'],
    ['invalid UTF-8', 'echo \ud800'],
    ['1 MB of text', 'x'.repeat(1024 * 1024)],
  ])('a prompt with %s is refused before tmux', async (_name, prompt) => {
    const before = await windowsNow();
    const admission = admitTask({ workspace: 'repo', backend: 'shell', prompt }, [{ name: 'repo', path: workspace }], launchers);
    expect(admission.ok).toBe(false);
    expect(await windowsNow()).toEqual(before);
  });

  it('typed text reaches the pane literally, control characters stripped, server unharmed', async () => {
    const task = await startShellTask('stty -echo\nexec cat');
    const marker = { value: markerValue(socket, task.taskId) };
    await waitFor('cat to run', () => findTaskProcesses({ marker }).some((pid) => cmdline(pid) === 'cat'));
    const before = await windowsNow();
    const hostile = ['a; kill-server;', '-t %0', 'C-c', 'Enter', 'x\u001b[201~; kill-server', 'n\u0000u\u0007l', '#(touch pwned)', 'bad \ud800 utf'];
    for (const text of hostile) await typeText(socket, task.paneId, text);
    const lines = await waitFor('all typed lines', async () => {
      const text = (await capturePane(socket, task.paneId))?.text ?? '';
      const rows = text.split('\n').map((l) => l.trimEnd());
      return rows.includes('bad \ufffd utf') && rows;
    });
    expect(lines.slice(0, hostile.length)).toEqual([
      'a; kill-server;',
      '-t %0',
      'C-c',
      'Enter',
      'x; kill-server',
      'nul',
      '#(touch pwned)',
      'bad \ufffd utf',
    ]);
    expect(await windowsNow()).toEqual(before);
    expect(() => statSync(join(workspace, 'pwned'))).toThrow();
    await killTaskProcesses({ rootPid: task.panePid, marker: { value: markerValue(socket, task.taskId) } });
    await stream.finish(task.taskId);
    await killWindow(socket, task.windowId);
  });
});
