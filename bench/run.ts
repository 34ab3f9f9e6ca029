// `npm run bench`: the pane stream measured on the local stack, each figure beside a baseline taken in the same
// run (DESIGN.md §7: speed goals live here, never in timed tests). Prints a table; exits non-zero only on error.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { TaskView, type PaneFrame } from '../protocol/index.ts';
import { startStack, type Stack } from '../test/support/stack.ts';
import { launchChromium, phoneContext } from '../test/support/browser.ts';
import { diffScreens, snapshotBody, type Screen } from '../home-agent/pane-diff.ts';
import { toScreenRows } from '../home-agent/pane-strip.ts';
import { approvalLatency } from './approvals.ts';

const SAMPLES = 50;
const CPU_SECONDS = 30;
const IDLE_WINDOWS = 8;
const APPROVAL_ROUNDS = 20;
const TASK_ID = '00000000-0000-4000-8000-000000000000';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const worst = (xs: number[]) => Math.max(...xs);
const rows: Array<[string, string, string, string]> = [];
const report = (what: string, ours: string, baseline: string, ratio: string) => rows.push([what, ours, baseline, ratio]);

function tmux(socket: string, ...args: string[]) {
  return execa('tmux', ['-L', socket, '-f', '/dev/null', ...args]);
}

async function post(stack: Stack, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: stack.cookie, origin: stack.origin },
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

async function waitForStatus(stack: Stack, id: string, status: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${stack.origin}/api/tasks/${id}`, { headers: { cookie: stack.cookie } });
    if (TaskView.parse(await res.json()).status === status) return;
    await sleep(100);
  }
  throw new Error(`task ${id} never became ${status}`);
}

/** Pane id of the window running `taskId` on the agent's tmux server (windows are named by task id). */
async function paneOf(socket: string, taskId: string): Promise<string> {
  const { stdout } = await tmux(socket, 'list-panes', '-a', '-F', '#{pane_id} #{window_name}');
  const line = stdout.split('\n').find((l) => l.includes(taskId.slice(0, 8)));
  if (!line) throw new Error(`no pane for task ${taskId}:\n${stdout}`);
  return line.split(' ')[0] ?? '';
}

/** Total CPU seconds (user + system, own + waited-for children) of `pid` from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Latency from a line written in a pane to it showing in the phone page, against a 100 ms capture-pane poller. */
async function latency(stack: Stack): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  const feed = join(dir, 'feed.txt');
  writeFileSync(feed, '');
  const task = TaskView.parse(await post(stack, '/api/tasks', { workspace: 'demo', backend: 'shell', prompt: `tail -n 0 -F ${feed}` }));
  await waitForStatus(stack, task.id, 'running');
  const socket = stack.agentEnv.HEARTH_TMUX_SOCKET ?? '';
  const pane = await paneOf(socket, task.id);

  const browser = await launchChromium();
  const page = await (await phoneContext(browser)).newPage();
  await stack.signInPage(page);
  await page.goto(`${stack.origin}/tasks/${task.id}`);
  await page.locator('#screen').waitFor();
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    new MutationObserver(() => {
      for (const m of (document.querySelector('#screen')?.textContent ?? '').matchAll(/mark-(\d+)/g)) {
        seen[m[1] ?? ''] ??= Date.now();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const pollerSeen: Record<string, number> = {};
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const { stdout } = await tmux(socket, 'capture-pane', '-p', '-J', '-t', pane);
      for (const m of stdout.matchAll(/mark-(\d+)/g)) pollerSeen[m[1] ?? ''] ??= Date.now();
      await sleep(100);
    }
  })();

  const page_ms: number[] = [];
  const poll_ms: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = Date.now();
    appendFileSync(feed, `mark-${i}\n`);
    for (let wait = 0; wait < 250; wait++) {
      const seen = await page.evaluate((k) => (window as unknown as { __seen: Record<string, number> }).__seen[k], String(i));
      if (seen && pollerSeen[String(i)]) {
        page_ms.push(seen - t0);
        poll_ms.push((pollerSeen[String(i)] ?? NaN) - t0);
        break;
      }
      await sleep(20);
    }
    await sleep(150 + Math.random() * 100); // spread samples over the poller's phase
  }
  polling = false;
  await poller;
  await browser.close();
  await post(stack, `/api/tasks/${task.id}/cancel`);
  rmSync(dir, { recursive: true, force: true });
  if (page_ms.length < SAMPLES) throw new Error(`only ${page_ms.length}/${SAMPLES} lines reached the page`);
  report('pane → page latency, median (ms)', String(median(page_ms)), `${median(poll_ms)} (100 ms capture poller sees it)`, (median(page_ms) / median(poll_ms)).toFixed(2));
  report('pane → page latency, worst (ms)', String(worst(page_ms)), `${worst(poll_ms)}`, (worst(page_ms) / worst(poll_ms)).toFixed(2));
}

/** Bytes on the wire for a one-row change on a real 200×50 tmux pane: the patch frame against a full snapshot. */
async function bytesPerChange(): Promise<void> {
  const socket = `hearth-bench-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  // Waits for a key, fills 49 rows, then on a second key rewrites only the last row in place (a progress line).
  const script = join(dir, 'screen.sh');
  writeFileSync(
    script,
    [
      'read -rs -n1 _',
      'clear',
      'for i in $(seq 1 49); do printf "row %02d %s\\n" "$i" "$(printf "x%.0s" $(seq 1 150))"; done',
      'printf "progress 1"',
      'read -rs -n1 _',
      'printf "\\rprogress 2"',
      'sleep 600',
    ].join('\n'),
  );
  try {
    await tmux(socket, 'new-session', '-d', '-s', 'bench', '-x', '200', '-y', '50', '--', 'bash', '--noprofile', '--norc', script);
    await tmux(socket, 'set-option', '-g', 'status', 'off');
    const pane = (await tmux(socket, 'display', '-p', '-t', 'bench', '#{pane_id}')).stdout.trim();
    const capture = async (): Promise<Screen> => {
      const { stdout } = await tmux(socket, 'capture-pane', '-p', '-J', '-t', pane);
      return { width: 200, height: 50, rows: toScreenRows(stdout, 50) };
    };
    await tmux(socket, 'send-keys', '-t', pane, 'x');
    await sleep(1000);
    const before = await capture();
    await tmux(socket, 'send-keys', '-t', pane, 'x');
    await sleep(500);
    const after = await capture();
    const patch = diffScreens(before, after);
    if (!patch || patch.full) throw new Error('expected a patch');
    const frame = (body: PaneFrame['body']): number => Buffer.byteLength(JSON.stringify({ type: 'pane', taskId: TASK_ID, seq: 2, body }));
    const patchBytes = frame(patch);
    const fullBytes = frame(snapshotBody(after));
    report(`bytes for a one-line change, 200×50 pane (${patch.rows.length} row changed)`, String(patchBytes), `${fullBytes} (whole screen)`, (patchBytes / fullBytes).toFixed(4));
  } finally {
    await tmux(socket, 'kill-server').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU of the agent (+ its tmux server) over 30 s with 8 idle task windows, against a 100 ms capture-pane poller. */
async function idleCpu(stack: Stack): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < IDLE_WINDOWS; i++) {
    ids.push(TaskView.parse(await post(stack, '/api/tasks', { workspace: 'demo', backend: 'shell', prompt: `echo idle ${i}; sleep 3600` })).id);
  }
  for (const id of ids) await waitForStatus(stack, id, 'running');
  await sleep(3000); // let the first frames settle
  const socket = stack.agentEnv.HEARTH_TMUX_SOCKET ?? '';
  const serverPid = Number((await tmux(socket, 'display', '-p', '#{pid}')).stdout.trim());
  const agentPid = stack.agentPid();
  if (!agentPid) throw new Error('agent pid unknown');

  const a0 = cpuSeconds(agentPid);
  const s0 = cpuSeconds(serverPid);
  await sleep(CPU_SECONDS * 1000);
  const agentCpu = cpuSeconds(agentPid) - a0;
  const agentServerCpu = cpuSeconds(serverPid) - s0;

  const panes = await Promise.all(ids.map((id) => paneOf(socket, id)));
  const pollerScript = `
    const { execFileSync } = require('node:child_process');
    const panes = ${JSON.stringify(panes)};
    const end = Date.now() + ${CPU_SECONDS * 1000};
    const tick = () => {
      for (const p of panes) execFileSync('tmux', ['-L', ${JSON.stringify(socket)}, '-f', '/dev/null', 'capture-pane', '-p', '-J', '-t', p]);
      if (Date.now() < end) setTimeout(tick, 100);
    };
    tick();`;
  const s1 = cpuSeconds(serverPid);
  const poller = execa('node', ['-e', pollerScript]);
  const pollerPid = poller.pid ?? 0;
  let pollerCpu = 0;
  const sampler = setInterval(() => {
    try {
      pollerCpu = cpuSeconds(pollerPid);
    } catch {
      // exited
    }
  }, 200);
  await poller;
  clearInterval(sampler);
  const pollerServerCpu = cpuSeconds(serverPid) - s1;
  for (const id of ids) await post(stack, `/api/tasks/${id}/cancel`);

  const pct = (s: number) => `${((100 * s) / CPU_SECONDS).toFixed(2)} %`;
  report(`agent CPU, ${IDLE_WINDOWS} idle windows, ${CPU_SECONDS} s (% of one core)`, pct(agentCpu), `${pct(pollerCpu)} (100 ms capture-pane poller)`, pollerCpu > 0 ? (agentCpu / pollerCpu).toFixed(3) : 'n/a');
  report('… plus the tmux server', pct(agentCpu + agentServerCpu), pct(pollerCpu + pollerServerCpu), (agentCpu + agentServerCpu) / (pollerCpu + pollerServerCpu) > 0 ? ((agentCpu + agentServerCpu) / (pollerCpu + pollerServerCpu)).toFixed(3) : 'n/a');
}

async function main(): Promise<void> {
  await bytesPerChange();
  if (process.argv.includes('--bytes-only')) return printTable();
  if (!process.argv.includes('--approvals-only')) {
    const stack = await startStack({ maxConcurrent: IDLE_WINDOWS + 1, owner: 'bench' });
    try {
      await latency(stack);
      await idleCpu(stack);
    } finally {
      await stack.stop();
    }
  }
  const { hearth, baseline } = await approvalLatency(APPROVAL_ROUNDS);
  const pair = (what: string, ours: number[], base: number[], baseName: string) => {
    report(`${what}, median (ms)`, String(median(ours)), `${median(base)} (${baseName})`, (median(ours) / median(base)).toFixed(2));
    report(`${what}, worst (ms)`, String(worst(ours)), String(worst(base)), (worst(ours) / worst(base)).toFixed(2));
  };
  pair(`Claude asks → approval in the page, ${APPROVAL_ROUNDS} runs`, hearth.showMs, baseline.showMs, 'its own dialog on the pane');
  pair('tap Allow → Claude goes on', hearth.goOnMs, baseline.goOnMs, 'key 1 typed into the pane');
  printTable();
}

function printTable(): void {
  const widths = [0, 1, 2, 3].map((c) => Math.max(...[['figure', 'hearth', 'baseline (same run)', 'ratio'], ...rows].map((r) => r[c]?.length ?? 0)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ');
  console.log(`\n${line(['figure', 'hearth', 'baseline (same run)', 'ratio'])}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const r of rows) console.log(line(r));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
