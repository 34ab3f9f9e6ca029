// Approval latency with the real Claude Code against the scripted model server: from the CLI asking (the model's
// tool call fully sent) to the approval showing in the phone page, and from the tap to the CLI going on (its next
// model request). Baseline in the same run: the same CLI without Hearth, its own dialog read off the pane by a
// 20 ms capture-pane poll and answered with a key.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { TaskView } from '../protocol/index.ts';
import { makeGitWorkspace, startStack, type Stack } from '../test/support/stack.ts';
import { launchChromium, phoneContext } from '../test/support/browser.ts';
import { startModelServer, type ModelServer } from '../test/support/model-server.ts';
import { cliArgv, cliEnv, secureTempDir } from '../test/support/cli-home.ts';

export type Samples = { showMs: number[]; goOnMs: number[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROMPT = 'Create approved.txt please';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

const toolCallAnsweredAfter = (model: ModelServer, since: number) => () =>
  model.requests().find((r) => r.turn === 'tool-call' && r.receivedAt >= since && r.answeredAt !== null)?.answeredAt ?? undefined;
const finalReceivedAfter = (model: ModelServer, since: number) => () =>
  model.requests().find((r) => r.turn === 'final' && r.receivedAt >= since)?.receivedAt;

/** `rounds` approvals through Hearth: phone page shows it, tap Allow, the CLI goes on. */
async function throughHearth(stack: Stack, model: ModelServer, workspace: string, rounds: number): Promise<Samples> {
  const browser = await launchChromium();
  const samples: Samples = { showMs: [], goOnMs: [] };
  try {
    const page = await (await phoneContext(browser)).newPage();
    await stack.signInPage(page);
    await page.locator('#backend option[value="claude"]').waitFor({ state: 'attached' });
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { __cards: typeof seen }).__cards = seen;
      new MutationObserver(() => {
        for (const card of document.querySelectorAll('#approvals article[data-status="pending"]')) {
          const task = card.getAttribute('data-task-id') ?? '';
          seen[task] ??= Date.now();
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    for (let i = 0; i < rounds; i++) {
      rmSync(join(workspace, 'approved.txt'), { force: true });
      const since = Date.now();
      const res = await fetch(`${stack.origin}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: stack.cookie, origin: stack.origin },
        body: JSON.stringify({ workspace: 'demo', backend: 'claude', prompt: PROMPT }),
      });
      const task = TaskView.parse(await res.json());
      const shownAt = await until('the approval in the page', () =>
        page.evaluate((id) => (window as unknown as { __cards: Record<string, number> }).__cards[id], task.id),
      );
      const askedAt = await until('the tool call', toolCallAnsweredAfter(model, since));
      const tapAt = Date.now();
      await page.locator(`#approvals article[data-task-id="${task.id}"] button.allow`).first().tap();
      const goOnAt = await until('the CLI going on', finalReceivedAfter(model, tapAt));
      samples.showMs.push(shownAt - askedAt);
      samples.goOnMs.push(goOnAt - tapAt);
      await until('the task to end', async () => {
        const t = TaskView.parse(await (await fetch(`${stack.origin}/api/tasks/${task.id}`, { headers: { cookie: stack.cookie } })).json());
        return t.status === 'running' || t.status === 'waiting_approval' ? undefined : t.status;
      }, 90_000, 200);
      if (!existsSync(join(workspace, 'approved.txt'))) throw new Error('the allowed tool did not run');
    }
  } finally {
    await browser.close();
  }
  return samples;
}

/** The same CLI without Hearth: its dialog read off the pane (20 ms capture poll), answered with the `1` key. */
async function withoutHearth(env: Record<string, string>, model: ModelServer, workspace: string, rounds: number): Promise<Samples> {
  const socket = `hearth-bench-approval-${process.pid}`;
  const tmux = (...args: string[]) => execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env });
  const samples: Samples = { showMs: [], goOnMs: [] };
  try {
    // A session that outlives the rounds: killing a round's only session would stop the server, and the next
    // new-session could reach it while it exits ("server exited unexpectedly").
    await tmux('new-session', '-d', '-s', 'keep', '-c', workspace);
    for (let i = 0; i < rounds; i++) {
      rmSync(join(workspace, 'approved.txt'), { force: true });
      const since = Date.now();
      await tmux('new-session', '-d', '-s', `b${i}`, '-x', '200', '-y', '50', '-c', workspace, '--', ...cliArgv('claude', PROMPT));
      const pane = `b${i}:`;
      const shownAt = await until('the dialog on the pane', async () => {
        const { stdout } = await tmux('capture-pane', '-p', '-J', '-t', pane);
        return stdout.includes('Do you want to proceed?') ? Date.now() : undefined;
      });
      const askedAt = await until('the tool call', toolCallAnsweredAfter(model, since));
      const tapAt = Date.now();
      await tmux('send-keys', '-t', pane, '1');
      const goOnAt = await until('the CLI going on', finalReceivedAfter(model, tapAt));
      samples.showMs.push(shownAt - askedAt);
      samples.goOnMs.push(goOnAt - tapAt);
      await tmux('kill-session', '-t', `b${i}`);
    }
  } finally {
    await tmux('kill-server').catch(() => undefined);
  }
  return samples;
}

/** Runs both and returns { hearth, baseline }. */
export async function approvalLatency(rounds: number): Promise<{ hearth: Samples; baseline: Samples }> {
  const model = await startModelServer({
    toolCall: { kind: 'shell', command: 'touch approved.txt', description: 'Create the file' },
    finalText: 'Done. FINAL-MARKER',
  });
  const root = await secureTempDir('bench-approvals');
  try {
    const workspace = await makeGitWorkspace(join(root, 'demo'));
    const env = await cliEnv('claude', { root, workspace, modelUrl: model.url });
    const baseline = await withoutHearth(env, model, workspace, rounds);
    const stack = await startStack({ agentEnv: env, workspace, owner: 'bench-approvals' });
    try {
      return { hearth: await throughHearth(stack, model, workspace, rounds), baseline };
    } finally {
      await stack.stop();
    }
  } finally {
    await model.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
