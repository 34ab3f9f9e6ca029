// The home agent daemon (runAgent, in-process) against the REAL Worker (wrangler dev) and REAL room (partykit dev),
// paired through the real `hearth login --json` device flow, with real tmux on a private socket. The Worker reaches
// the room through a relay that can lose its notifies (nudges are best effort).
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, RoomTicketResponse, TaskList, TaskView, type PaneFrame } from '../../protocol/index.ts';
import { runAgent, type AgentConfig, type RunningAgent } from '../../home-agent/agent.ts';
import { readCredentials, credentialsPath } from '../../home-agent/credentials.ts';
import { killAll } from '../../home-agent/kill-all.ts';
import { findTaskProcesses } from '../../home-agent/process-tree.ts';
import { markerValue } from '../../home-agent/task-launch.ts';
import { listPanes } from '../../home-agent/tmux.ts';
import { pairAgentWithCli } from '../../scripts/agent-pairing.ts';
import { waitForAgent } from '../../scripts/dev-api.ts';
import { startRoom, type RunningRoom } from '../support/room.ts';
import { openWebSocket } from '../support/origin-socket.ts';
import { startRoomRelay, type RoomRelay } from '../support/room-relay.ts';
import { uniqueSocket, waitFor } from '../support/tmux.ts';
import { signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { ownerCall } from '../support/worker-http.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
let room: RunningRoom | undefined;
let relay: RoomRelay | undefined;
let worker: RunningWorker | undefined;
let origin: string;
let cookie: string;
let root: string;
let config: AgentConfig;
let agent: RunningAgent | undefined;
const logs: string[] = [];
const touch = (file: string): void => closeSync(openSync(file, 'a'));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hearth-agent-daemon-'));
  room = await startRoom();
  relay = await startRoomRelay(room.host);
  worker = await startWorker({ partykitHost: relay.host, roomSecret: room.roomSecret, ticketSecret: room.ticketSecret });
  origin = worker.url;
  cookie = await signIn(origin, worker.setupSecret, 'agent-daemon-owner');
  const home = join(root, 'home');
  const workspace = join(root, 'repo');
  mkdirSync(workspace);
  await execa('git', ['init', '-q', workspace]);
  const tmuxSocket = uniqueSocket('daemon');
  await pairAgentWithCli({ root: repoRoot, env: { HEARTH_HOME: home, HEARTH_SERVER: origin, HEARTH_TMUX_SOCKET: tmuxSocket }, origin, cookie, name: 'daemon-test' });
  expect(statSync(home).mode & 0o777).toBe(0o700);
  expect(statSync(credentialsPath(home)).mode & 0o777).toBe(0o600);
  const credentials = readCredentials(home);
  if (!credentials) throw new Error('login saved no token');
  config = {
    configDir: home,
    server: origin,
    accessToken: credentials.accessToken,
    workspaces: [{ name: 'repo', path: workspace }],
    maxConcurrent: 2,
    tmuxSocket,
    searchPath: '',
  };
  agent = await runAgent(config, { heartbeatMs: 1_000, log: (line) => logs.push(line) });
  await waitForAgent(origin, cookie, 60_000);
});

afterAll(async () => {
  if (process.env.HEARTH_TEST_LOGS) console.log(logs.join('\n'));
  await agent?.stop();
  if (config) await killAll(config);
  await worker?.stop();
  await relay?.close();
  await room?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const api = (method: string, path: string, body?: unknown): Promise<unknown> => ownerCall(origin, cookie, method, path, body);
const createTask = async (prompt: string) => TaskView.parse(await api('POST', '/api/tasks', { workspace: 'repo', backend: 'shell', prompt }));
const getTask = async (id: string) => TaskView.parse(await api('GET', `/api/tasks/${id}`));
const waitTask = (id: string, what: string, check: (t: TaskView) => boolean, timeoutMs = 30_000) =>
  waitFor(`task ${what}`, async () => {
    const task = await getTask(id);
    return check(task) && task;
  }, timeoutMs);

/** A phone in the owner's room: subscribes to tasks and rebuilds their screens from pane frames. */
async function phone() {
  const ticket = RoomTicketResponse.parse(await api('POST', '/api/room-ticket', {}));
  const ws = openWebSocket(`ws://${ticket.host}/parties/main/${ticket.room}?ticket=${encodeURIComponent(ticket.ticket)}`, origin);
  const screens = new Map<string, string[]>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { type: string } & Partial<PaneFrame>;
    if (message.type !== 'pane' || !message.taskId || !message.body) return;
    const rows = message.body.full ? Array.from({ length: message.body.height }, () => '') : (screens.get(message.taskId) ?? []);
    for (const [i, text] of message.body.rows) rows[i] = text;
    screens.set(message.taskId, rows);
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', () => reject(new Error('phone socket failed')));
  });
  ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
  return {
    subscribe: (taskId: string) => ws.send(JSON.stringify({ type: 'subscribe', taskId })),
    screen: (taskId: string) => screens.get(taskId) ?? [],
    close: () => ws.close(),
  };
}

describe('home agent daemon against the real Worker and room', () => {
  it('claims a task, streams its pane to a phone, and finishes with exit status and final screen', async () => {
    const viewer = await phone();
    try {
      const task = await createTask('echo hello-$((40+2))\nsleep 1\nexit 3');
      viewer.subscribe(task.id);
      await waitFor('the pane on the phone', () => viewer.screen(task.id).includes('hello-42'), 20_000);
      const done = await waitTask(task.id, 'failed', (t) => t.status === 'failed');
      expect(done.exitCode).toBe(3);
      expect(done.finalScreen).toContain('hello-42');
      await waitFor('the window to close', async () => (await listPanes(config.tmuxSocket)).length === 1);
    } finally {
      viewer.close();
    }
  });

  it('a cancel from the phone kills the whole process tree and stores the final screen', async () => {
    const task = await createTask('sleep 1000 &\n(sleep 1001 &)\necho started\nwait');
    const marker = { value: markerValue(config.tmuxSocket, task.id) };
    await waitFor('the task processes', () => findTaskProcesses({ marker }).length >= 3, 20_000);
    await api('POST', `/api/tasks/${task.id}/cancel`);
    await waitFor('every task process to end', () => findTaskProcesses({ marker }).length === 0, 20_000);
    const done = await waitTask(task.id, 'final screen', (t) => (t.finalScreen ?? null) !== null);
    expect(done.status).toBe('cancelled');
    expect(done.finalScreen).toContain('started');
  });

  it('runs at most two tasks at a time; the third waits queued', async () => {
    const gate = join(root, 'gate-3');
    const prompt = (n: number) => `while [ ! -e '${gate}' ]; do sleep 0.1; done\necho done-${n}`;
    const tasks = [await createTask(prompt(1)), await createTask(prompt(2)), await createTask(prompt(3))];
    const statuses = async () => {
      const list = TaskList.parse(await api('GET', '/api/tasks')).tasks.filter((t) => tasks.some((x) => x.id === t.id));
      return list.map((t) => t.status).sort().join(',');
    };
    await waitFor('two running', async () => (await statuses()) === 'queued,running,running', 20_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await statuses()).toBe('queued,running,running');
    touch(gate);
    for (const [i, t] of tasks.entries()) {
      const done = await waitTask(t.id, 'succeeded', (v) => v.status === 'succeeded');
      expect(done.finalScreen).toContain(`done-${i + 1}`);
    }
  });

  it('a restarted agent finds its running task, keeps heartbeating, and finishes it', async () => {
    const gate = join(root, 'gate-restart');
    const task = await createTask(`echo one\nwhile [ ! -e '${gate}' ]; do sleep 0.1; done\necho two`);
    await waitTask(task.id, 'running', (t) => t.status === 'running');
    await waitFor('the window', async () => (await listPanes(config.tmuxSocket)).length === 2);
    await agent?.stop();
    agent = undefined;
    expect((await listPanes(config.tmuxSocket)).length).toBe(2); // the task kept running without the agent
    agent = await runAgent(config, { heartbeatMs: 1_000, log: (line) => logs.push(line) });
    await waitFor('the resume', () => logs.some((l) => l.includes(`task ${task.id}: resumed`)));
    const viewer = await phone();
    try {
      viewer.subscribe(task.id);
      await waitFor('the resumed pane on the phone', () => viewer.screen(task.id).includes('one'), 20_000);
      touch(gate);
      const done = await waitTask(task.id, 'succeeded', (t) => t.status === 'succeeded');
      expect(done.finalScreen).toEqual(expect.arrayContaining(['one', 'two']));
    } finally {
      viewer.close();
    }
    expect(logs.join('\n')).not.toContain(config.accessToken);
  });

  it('claims a queued task whose nudge was lost, by its periodic queue check', async () => {
    await agent?.stop();
    const ready = logs.filter((l) => l.includes('room: ready')).length;
    agent = await runAgent(config, { heartbeatMs: 1_000, queuePollMs: 1_000, log: (line) => logs.push(line) });
    await waitFor('the room link', () => logs.filter((l) => l.includes('room: ready')).length > ready, 20_000);
    await new Promise((r) => setTimeout(r, 1_500)); // the claim pass on connect is over: only the timer is left
    const lossy = relay;
    if (!lossy) throw new Error('no relay');
    lossy.dropHttp = true;
    try {
      const dropped = lossy.dropped();
      const task = await createTask('echo polled-$((6*7))');
      await waitFor('the lost nudge', () => lossy.dropped() > dropped);
      const done = await waitTask(task.id, 'claimed and succeeded', (t) => t.status === 'succeeded', 15_000);
      expect(done.finalScreen).toContain('polled-42');
    } finally {
      lossy.dropHttp = false;
    }
  });
});
