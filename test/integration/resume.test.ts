// DESIGN.md rule 5 across a room restart: the REAL Worker, the REAL room (stopped mid-task and started again on
// the same port, empty), the agent in-process with real tmux, and a phone that models its screen with applyFrame.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskView } from '../../protocol/index.ts';
import { runAgent, type AgentConfig, type RunningAgent } from '../../home-agent/agent.ts';
import { killAll } from '../../home-agent/kill-all.ts';
import { waitForAgent } from '../../scripts/dev-api.ts';
import { connectPhone, type Phone, type SeenFrame } from '../support/phone.ts';
import { startRoom, type RunningRoom } from '../support/room.ts';
import { uniqueSocket, waitFor } from '../support/tmux.ts';
import { pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { ownerCall } from '../support/worker-http.ts';

let room: RunningRoom | undefined;
let worker: RunningWorker | undefined;
let agent: RunningAgent | undefined;
let phone: Phone | undefined;
let config: AgentConfig | undefined;
let root: string;
let origin: string;
let cookie: string;
const logs: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hearth-resume-'));
  room = await startRoom();
  worker = await startWorker({ partykitHost: room.host, roomSecret: room.roomSecret, ticketSecret: room.ticketSecret });
  origin = worker.url;
  cookie = await signIn(origin, worker.setupSecret, 'resume-owner');
  const { token } = await pairAgent(origin, cookie, 'resume-agent');
  const workspace = join(root, 'repo');
  mkdirSync(workspace);
  config = {
    configDir: join(root, 'home'),
    server: origin,
    accessToken: token,
    workspaces: [{ name: 'repo', path: workspace }],
    maxConcurrent: 1,
    tmuxSocket: uniqueSocket('resume'),
    searchPath: '',
  };
  agent = await runAgent(config, { heartbeatMs: 1_000, log: (line) => logs.push(line) });
  await waitForAgent(origin, cookie, 60_000);
});

afterAll(async () => {
  if (process.env.HEARTH_TEST_LOGS) console.log(logs.join('\n'));
  phone?.close();
  await agent?.stop();
  if (config) await killAll(config);
  await worker?.stop();
  await room?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const api = (method: string, path: string, body?: unknown): Promise<unknown> => ownerCall(origin, cookie, method, path, body);
const getTask = async (id: string) => TaskView.parse(await api('GET', `/api/tasks/${id}`));

/** The highest `line-N` on a screen (0 when none). */
const highestLine = (rows: readonly string[]): number =>
  Math.max(0, ...rows.map((row) => Number(/^line-(\d+)$/.exec(row)?.[1] ?? 0)));
const readyCount = (): number => logs.filter((l) => l.includes('room: ready')).length;
/** Rows without the trailing blank ones, as the Worker stores a final screen. */
const trimmed = (rows: readonly string[]): string[] => {
  const copy = [...rows];
  while (copy.length > 0 && copy.at(-1) === '') copy.pop();
  return copy;
};

/** Rule 5 on what the phone applied: strictly increasing seqs, each jump healed by a snapshot; no seq twice. */
function expectNothingLostNothingDoubled(seen: SeenFrame[]): void {
  const received = seen.map((f) => f.seq);
  expect(new Set(received).size, `a seq arrived twice: ${received.join(',')}`).toBe(received.length);
  const applied = seen.filter((f) => f.applied);
  expect(applied[0]?.full).toBe(true);
  for (let i = 1; i < applied.length; i++) {
    const [prev, frame] = [applied[i - 1]!, applied[i]!];
    expect(frame.seq).toBeGreaterThan(prev.seq);
    if (frame.seq !== prev.seq + 1) expect(frame.full, `seq ${prev.seq} → ${frame.seq} without a snapshot`).toBe(true);
  }
}

describe('the pane stream across a room restart', () => {
  it('heals after the room comes back empty: the phone resumes and ends with the final screen', { timeout: 180_000 }, async () => {
    if (!room || !config) throw new Error('no stack');
    const counter = join(root, 'counter');
    const gate = join(root, 'gate');
    writeFileSync(counter, '0');
    // One numbered line every 200 ms until the gate exists, so the task outlives the restart however slow it is.
    const prompt = `i=0\nwhile [ ! -e '${gate}' ]; do i=$((i+1)); echo line-$i; echo $i > '${counter}'; sleep 0.2; done\necho end-$i`;
    const task = TaskView.parse(await api('POST', '/api/tasks', { workspace: 'repo', backend: 'shell', prompt }));
    const printed = (): number => Number(readFileSync(counter, 'utf8').trim() || 0);

    phone = await connectPhone(origin, cookie);
    const viewer = phone;
    viewer.subscribe(task.id);
    const onPhone = (): number => highestLine(viewer.screen(task.id)?.rows ?? []);
    await waitFor('line-10 on the phone', () => onPhone() >= 10, 30_000);

    // The room goes away mid-task; the task keeps printing.
    const { port, roomSecret, ticketSecret } = room;
    await room.stop();
    room = undefined;
    const seenBefore = viewer.seen(task.id).length;
    const lastSeqBefore = viewer.screen(task.id)?.seq ?? 0;
    const shownBefore = onPhone();
    const readyBefore = readyCount();
    await waitFor('ten lines printed while the room is down', () => printed() >= shownBefore + 10, 20_000);
    expect(viewer.seen(task.id).length).toBe(seenBefore);

    // The same room (port, secret) comes back with no state; agent and phone reconnect with fresh tickets.
    room = await startRoom({ port, roomSecret, ticketSecret });
    const printedAtRestart = printed();
    await waitFor('the agent back in the room', () => readyCount() > readyBefore, 40_000);
    await waitFor('the phone back in the room', () => viewer.welcomes() >= 2, 40_000);
    const appliedSince = () => viewer.seen(task.id).slice(seenBefore).filter((f) => f.applied);
    await waitFor('a frame from the new room on the phone', () => appliedSince().length > 0, 30_000);
    const healedAt = onPhone();
    expect(healedAt).toBeGreaterThan(shownBefore);

    // The new room healed from a snapshot; patches follow it and acks flow again (the agent's outbox drains).
    const [healed] = appliedSince();
    expect(healed?.full).toBe(true);
    expect(healed!.seq).toBeGreaterThan(lastSeqBefore);
    await waitFor('ten more lines streamed after the heal', () => onPhone() >= Math.max(healedAt, printedAtRestart) + 10, 30_000);
    expect(appliedSince().filter((f) => !f.full).length).toBeGreaterThanOrEqual(5);
    const db = new Database(join(config.configDir, 'state.db'), { readonly: true, fileMustExist: true });
    try {
      const unacked = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE task_id = ?');
      await waitFor('acks from the new room', () => (unacked.get(task.id)?.n ?? 99) <= 2, 10_000);
    } finally {
      db.close();
    }

    writeFileSync(gate, '');
    const done = await waitFor('the task to succeed', async () => {
      const t = await getTask(task.id);
      return t.status === 'succeeded' && t;
    }, 30_000);
    const finalScreen = done.finalScreen ?? [];
    expect(finalScreen).toContain(`end-${printed()}`);
    await waitFor('the phone to hold the final screen', () => {
      const rows = viewer.screen(task.id)?.rows ?? [];
      return JSON.stringify(trimmed(rows)) === JSON.stringify(finalScreen);
    }, 10_000);
    expectNothingLostNothingDoubled(viewer.seen(task.id));
    expect(viewer.problems()).toEqual([]);
  });
});
