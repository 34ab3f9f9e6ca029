// A live view that survives phones (issue 5): a shell task prints numbered lines while the phone (headless Chromium,
// 390×844, touch) watches through a relay that can cut or stall its room socket. After an offline period, a frozen
// background spell on a half-open link, and a gap longer than the room's ring, the phone shows exactly tmux's screen:
// no line missing, none doubled, and no pane frame delivered twice or out of order.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { listPanes } from '../../home-agent/tmux.ts';
import { decodeFrame, PhoneToRoom, RoomToPhone } from '../../protocol/index.ts';
import { launchChromium, phoneContext, screenshotPath } from '../support/browser.ts';
import type { RoomRelay } from '../support/room-relay.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/tmux.ts';

/** One pane frame as it reached the page: which socket (numbered in order of opening) carried it. */
type Received = { socket: number; taskId: string; seq: number; full: boolean };

let stack: Stack;
let relay: RoomRelay;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let ctl: string;
let taskId = '';
let paneId = '';
const received: Received[] = [];
/** `subscribe` frames the page sent: on which socket, for which task, resuming after which seq. */
const subscribes: Array<{ socket: number; taskId: string; lastSeq: number | undefined }> = [];
/** Keepalive pings (`ping-N`; a resume's ping is `resume-N`) the page sent, by socket. */
const keepalives: number[] = [];
const closedSockets = new Set<number>();
/** Every value #connection's data-state took, in order (recorded by the test's own MutationObserver). */
const states: string[] = [];
let sockets = 0;

/** `values` with runs of one value kept once: the states a light went through. */
const transitions = (values: string[]): string[] => values.filter((v, i) => v !== values[i - 1]);

beforeAll(async () => {
  ctl = mkdtempSync(join(tmpdir(), 'hearth-resume-'));
  stack = await startStack({ roomRelay: true });
  if (!stack.roomRelay) throw new Error('the stack has no room relay');
  relay = stack.roomRelay;
  browser = await launchChromium();
  context = await phoneContext(browser);
  page = await context.newPage();
  cdp = await context.newCDPSession(page);

  page.on('websocket', (ws) => {
    if (!ws.url().includes('/parties/main/')) return;
    const socket = ++sockets;
    ws.on('framereceived', ({ payload }) => {
      const decoded = decodeFrame(RoomToPhone, String(payload));
      const frame = decoded.ok ? decoded.value : null;
      if (frame?.type === 'pane') received.push({ socket, taskId: frame.taskId, seq: frame.seq, full: frame.body.full });
    });
    ws.on('framesent', ({ payload }) => {
      const decoded = decodeFrame(PhoneToRoom, String(payload));
      const frame = decoded.ok ? decoded.value : null;
      if (frame?.type === 'subscribe') subscribes.push({ socket, taskId: frame.taskId, lastSeq: frame.lastSeq });
      if (frame?.type === 'ping' && frame.requestId?.startsWith('ping-')) keepalives.push(socket);
    });
    ws.on('close', () => closedSockets.add(socket));
  });
  await page.exposeFunction('hearthTestConnectionState', (state: string) => void states.push(state));
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const light = document.querySelector('#connection');
      const record: unknown = Reflect.get(window, 'hearthTestConnectionState');
      if (!light || typeof record !== 'function') return;
      new MutationObserver(() => record(light.getAttribute('data-state') ?? '')).observe(light, {
        attributes: true,
        attributeFilter: ['data-state'],
      });
    });
  });

  await stack.signInPage(page);
  await page.locator('#workspace option[value="demo"]').waitFor({ state: 'attached', timeout: 60_000 });
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });

  // Numbered lines, ten a second; the test pauses them for a quiet moment (`pause`), widens them (`pad`), ends them (`stop`).
  const script = [
    `ctl=${ctl}`,
    'i=0',
    'while [ ! -e "$ctl/stop" ]; do',
    '  if [ -e "$ctl/pause" ]; then sleep 0.1; continue; fi',
    '  i=$((i+1))',
    '  echo "line-$i$(cat "$ctl/pad" 2>/dev/null)"',
    '  sleep 0.1',
    'done',
  ].join('\n');
  await page.selectOption('#workspace', 'demo');
  await page.selectOption('#backend', 'shell');
  await page.fill('#prompt', script);
  await page.tap('#run');
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  taskId = new URL(page.url()).pathname.split('/').pop() ?? '';
  await page.locator('#task-view').waitFor();
  const socketName = stack.agentEnv['HEARTH_TMUX_SOCKET'] ?? '';
  const pane = await waitFor('the task window', async () =>
    (await listPanes(socketName)).find((p) => p.windowName === `task-${taskId.slice(0, 8)}`),
  60_000);
  paneId = pane.paneId;
  await page.waitForFunction(() => /line-20\b/.test(document.querySelector('#screen')?.textContent ?? ''), undefined, { timeout: 60_000 });
});

afterAll(async () => {
  if (ctl) writeFileSync(join(ctl, 'stop'), '');
  await browser?.close();
  await stack?.stop();
  if (ctl) rmSync(ctl, { recursive: true, force: true });
});

/** The pane as tmux shows it (`capture-pane -p -J`), trailing spaces and trailing blank rows dropped like the phone. */
async function tmuxRows(): Promise<string[]> {
  const socketName = stack.agentEnv['HEARTH_TMUX_SOCKET'] ?? '';
  const { stdout } = await execa('tmux', ['-L', socketName, 'capture-pane', '-p', '-J', '-t', paneId]);
  return dropTrailingBlank(stdout.split('\n').map((row) => row.trimEnd()));
}

const dropTrailingBlank = (rows: string[]): string[] => {
  let end = rows.length;
  while (end > 0 && rows[end - 1] === '') end -= 1;
  return rows.slice(0, end);
};

const phoneRows = async (): Promise<string[]> => dropTrailingBlank(((await page.textContent('#screen')) ?? '').split('\n'));

/** The numbers of the `line-N` rows, in screen order. */
const lineNumbers = (rows: string[]): number[] =>
  rows.flatMap((row) => {
    const match = /^line-(\d+)( x+)?$/.exec(row);
    return match ? [Number(match[1])] : [];
  });

/**
 * At a quiet moment (the task paused, tmux's screen settled) the phone shows exactly tmux's rows, and its numbered
 * lines are consecutive: none missing, none doubled. Resumes the task afterwards.
 */
async function expectConverged(what: string): Promise<void> {
  writeFileSync(join(ctl, 'pause'), '');
  let settled: string[] = [];
  await waitFor(`tmux's screen to settle (${what})`, async () => {
    const first = await tmuxRows();
    await sleep(400);
    settled = await tmuxRows();
    return JSON.stringify(first) === JSON.stringify(settled);
  }, 20_000);
  await waitFor(`the phone to show tmux's screen (${what})`, async () => JSON.stringify(await phoneRows()) === JSON.stringify(settled), 20_000)
    .catch(async (error: unknown) => {
      expect(await phoneRows(), `${what}: ${String(error)}`).toEqual(settled);
    });
  const numbers = lineNumbers(await phoneRows());
  expect(numbers.length, what).toBeGreaterThan(10);
  expect(numbers, what).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
  await page.locator('#screen-stale').waitFor({ state: 'hidden', timeout: 5_000 });
  rmSync(join(ctl, 'pause'), { force: true });
}

/**
 * Every pane frame of the task that reached the page, across all its sockets: seqs strictly increase (nothing sent
 * twice, so nothing could be applied twice) and every patch follows the frame before it (no gap a patch would paper
 * over); only snapshots may jump.
 */
function expectCleanStream(what: string): void {
  const frames = received.filter((r) => r.taskId === taskId);
  expect(frames.length, what).toBeGreaterThan(0);
  for (let i = 1; i < frames.length; i++) {
    const [before, frame] = [frames[i - 1], frames[i]];
    if (!before || !frame) continue;
    expect(frame.seq, `${what}: frame ${i} (socket ${frame.socket}) after seq ${before.seq}`).toBeGreaterThan(before.seq);
    if (!frame.full) expect(frame.seq, `${what}: patch ${i} (socket ${frame.socket})`).toBe(before.seq + 1);
  }
}

/** The first frame a resumed socket got, and the seq its subscribe resumed after. */
function resumeOf(socket: number): { lastSeq: number | undefined; first: Received | undefined } {
  return {
    lastSeq: subscribes.find((s) => s.socket === socket && s.taskId === taskId)?.lastSeq,
    first: received.find((r) => r.socket === socket && r.taskId === taskId),
  };
}

/** The socket that carries the task's frames now (the newest that got one). */
const liveSocket = (): number => received.filter((r) => r.taskId === taskId).at(-1)?.socket ?? 0;

/** Wait until the recorded light states (runs collapsed) end with `tail`; returns them from `from` on. */
async function statesEndWith(from: number, tail: string[]): Promise<string[]> {
  const ends = (): boolean => JSON.stringify(transitions(states.slice(from)).slice(-tail.length)) === JSON.stringify(tail);
  await waitFor(`the connection light to go ${tail.join(' → ')}`, ends, 20_000).catch(() => undefined);
  return transitions(states.slice(from));
}

test('offline: the socket really drops, the light says so, and back online it resumes from its last seq', async () => {
  const before = liveSocket();
  const statesBefore = states.length;
  // The network goes: the phone's socket is cut at the relay (Chromium's offline emulation alone leaves an open
  // WebSocket open), new connections fail, and the browser reports `offline`.
  relay.dropPhones = true;
  expect(relay.cutPhones()).toBeGreaterThan(0);
  await context.setOffline(true);
  await waitFor('the phone socket to close', () => closedSockets.has(before));
  await page.locator('#connection[data-state="offline"]').waitFor();
  const note = page.locator('#screen-stale');
  await note.waitFor();
  expect(await note.textContent()).toMatch(/^Offline — showing the screen as of \d\d:\d\d:\d\d$/);
  await page.screenshot({ path: screenshotPath('live-offline') });
  const shownOffline = (await phoneRows()).join('\n');
  await sleep(4_000); // lines keep coming at home
  expect((await phoneRows()).join('\n')).toBe(shownOffline); // nothing reached the phone meanwhile

  relay.dropPhones = false;
  await context.setOffline(false);
  const seen = await statesEndWith(statesBefore, ['offline', 'reconnecting', 'connected']);
  expect(seen.slice(seen.indexOf('offline'))).toEqual(['offline', 'reconnecting', 'connected']);

  await expectConverged('after offline');
  const resumed = resumeOf(liveSocket());
  expect(liveSocket()).not.toBe(before);
  expect(resumed.lastSeq).toBeDefined();
  expect(resumed.first).toMatchObject({ full: false, seq: (resumed.lastSeq ?? 0) + 1 }); // replayed from the ring
  expectCleanStream('after offline');
});

test('background: frozen on a half-open link, the page reconnects as soon as it is visible again', async () => {
  const before = liveSocket();
  const statesBefore = states.length;
  const keepalivesBefore = keepalives.length;
  // The phone locks: the page is hidden and frozen, and the network silently forgets its link (no close reaches
  // either end). Headless Chromium never hides a page, so Page.setWebLifecycleState alone freezes nothing there:
  // the test also hides the document itself and stops the page's JavaScript with the debugger.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
    document.dispatchEvent(new Event('freeze'));
  });
  expect(relay.stallPhones()).toBeGreaterThan(0);
  await sleep(300); // let frames already in the browser reach the page before it stops
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await cdp.send('Debugger.enable');
  const paused = new Promise<void>((resolve) => cdp.once('Debugger.paused', () => resolve()));
  await cdp.send('Debugger.pause');
  await paused;
  await sleep(6_000); // lines keep coming at home
  await cdp.send('Debugger.resume');
  await cdp.send('Debugger.disable');
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await page.evaluate(() => {
    Reflect.deleteProperty(document, 'visibilityState');
    Reflect.deleteProperty(document, 'hidden');
    document.dispatchEvent(new Event('resume'));
    document.dispatchEvent(new Event('visibilitychange'));
  });

  // The stalled socket never closes on its own: the wake-up must replace it, not a keepalive ping left unanswered.
  await expectConverged('after the background spell');
  expect(liveSocket()).not.toBe(before);
  expect(keepalives.slice(keepalivesBefore).filter((socket) => socket === before)).toEqual([]);
  expect(await statesEndWith(statesBefore, ['reconnecting', 'connected'])).toEqual(['reconnecting', 'connected']);
  const resumed = resumeOf(liveSocket());
  expect(resumed.first).toMatchObject({ full: false, seq: (resumed.lastSeq ?? 0) + 1 });
  expectCleanStream('after the background spell');
});

test('a gap longer than the room keeps: the phone gets a snapshot and still shows every line once', async () => {
  // Wide lines make every frame about a full screen (≈ 50 × 200 characters), so the room's ring (256 Ki characters)
  // holds only a few seconds of them.
  writeFileSync(join(ctl, 'pad'), ` ${'x'.repeat(180)}`);
  await page.waitForFunction(() => /line-\d+ x{180}/.test(document.querySelector('#screen')?.textContent ?? ''));
  const before = liveSocket();
  relay.dropPhones = true;
  expect(relay.cutPhones()).toBeGreaterThan(0);
  await context.setOffline(true);
  await page.locator('#connection[data-state="offline"]').waitFor();
  await sleep(9_000);
  relay.dropPhones = false;
  await context.setOffline(false);
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 20_000 });

  await expectConverged('after a long gap');
  expect(liveSocket()).not.toBe(before);
  const resumed = resumeOf(liveSocket());
  expect(resumed.lastSeq).toBeDefined();
  expect(resumed.first?.full).toBe(true); // the ring no longer reached back to lastSeq: a snapshot
  expect(resumed.first?.seq).toBeGreaterThan((resumed.lastSeq ?? 0) + 1);
  expectCleanStream('after a long gap');
  await page.screenshot({ path: screenshotPath('live-resumed') });
  rmSync(join(ctl, 'pad'), { force: true });
});
