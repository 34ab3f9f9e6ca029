// A follow-up from the phone, end to end (issue 3): the real Claude Code in tmux (against the scripted model server,
// which answers `FOLLOW-ECHO:<word>` with `FOLLOW-ECHO-ANSWER:<word>`) ends its turn with its window kept open → the
// page shows the message box → a follow-up typed there runs in the same window, live on the page → End session quits
// the CLI and closes its tmux window.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { FollowUpRequest } from '../../protocol/index.ts';
import { listPanes } from '../../home-agent/tmux.ts';
import type { Stack } from '../support/stack.ts';
import { screenshotPath } from '../support/browser.ts';
import { openClaudePhonePage, type ClaudePhonePage } from '../support/phone-page.ts';
import { waitFor } from '../support/tmux.ts';

const TAG = 'FOLLOW-ECHO';
const answer = (word: string): string => `${TAG}-ANSWER:${word}`;
/** A Claude Code turn on a loaded machine, in ms. */
const TURN_MS = 120_000;

let phone: ClaudePhonePage;
let stack: Stack;
let page: Page;
/** The page's room (un)subscriptions, in order: an open window must stay followed until its session ends. */
const paneFrames: Array<{ type: string; taskId?: string }> = [];

beforeAll(async () => {
  // The agent keeps a turn's window open 30 min (default).
  phone = await openClaudePhonePage({
    label: 'e2e-follow-up',
    script: {
      toolCall: { kind: 'shell', command: 'touch never.txt' },
      finalText: 'unused',
      echoTag: TAG,
      delayMs: 1_000, // the follow-up's turn shows a working screen before its answer
    },
    beforeSignIn: ({ page: blank }) => {
      blank.on('websocket', (ws) =>
        ws.on('framesent', ({ payload }) => {
          const frame = JSON.parse(String(payload)) as { type: string; taskId?: string };
          if (frame.type === 'subscribe' || frame.type === 'unsubscribe') paneFrames.push(frame);
        }),
      );
    },
  });
  ({ stack, page } = phone);
});

afterAll(async () => {
  await phone?.stop();
});


/** The task's tmux windows on the agent's private server (task-launch.ts names them task-<first 8 of the id>). */
async function windowsOf(taskId: string) {
  const socket = stack.agentEnv['HEARTH_TMUX_SOCKET'] ?? '';
  return (await listPanes(socket)).filter((p) => p.windowName === `task-${taskId.slice(0, 8)}`);
}

/** Scroll so the message box ends at the bottom of the viewport, with the conversation and the pane above it. */
const showForm = () => page.locator('#follow-up-form').evaluate((form) => form.scrollIntoView({ block: 'end' }));

const screenHas = (text: string) =>
  page.waitForFunction((t) => (document.querySelector('#screen')?.textContent ?? '').includes(t), text, { timeout: TURN_MS });

test('a follow-up typed on the phone runs in the same window, live, and End session closes the window', { timeout: 420_000 }, async () => {
  const followUpPosts: FollowUpRequest[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/follow-ups$/.test(request.url())) followUpPosts.push(FollowUpRequest.parse(request.postDataJSON()));
  });

  await page.selectOption('#workspace', 'demo');
  await page.selectOption('#backend', 'claude');
  await page.fill('#prompt', `Please reply to ${TAG}:first`);
  await page.tap('#run');
  await page.locator('#task-view').waitFor();
  await page.waitForSelector('#task-status[data-status="succeeded"]', { timeout: TURN_MS });
  const taskId = new URL(page.url()).pathname.split('/').pop() ?? '';
  expect((await stack.fetchTask(taskId)).openUntil).toBeGreaterThan(Date.now());

  // The open session: the answer on the live screen, the box with its countdown, the prompt as the conversation.
  await page.locator('#follow-up').waitFor();
  await screenHas(answer('first'));
  const countdown = await page.textContent('#follow-up-open');
  expect(countdown).toMatch(/^Session open for (29|30) min/);
  await page.waitForFunction((before) => document.querySelector('#follow-up-open')?.textContent !== before, countdown); // it counts down
  await expect(page.getByRole('textbox', { name: 'Follow-up message' }).count()).resolves.toBe(1);
  await expect(page.getByRole('button', { name: 'End session' }).count()).resolves.toBe(1);
  expect(await page.locator('#follow-ups li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')))).toEqual(['prompt']);
  expect(await page.locator(`#tasks li[data-task-id="${taskId}"] .badge-open`).textContent()).toBe('open');
  expect(await page.isDisabled('#send-follow-up')).toBe(true); // nothing typed yet
  const subscriptions = () => paneFrames.filter((f) => f.taskId === taskId).map((f) => f.type);
  expect(subscriptions()).toContain('subscribe');
  expect(subscriptions()).not.toContain('unsubscribe'); // the open window is still followed
  const [window] = await windowsOf(taskId);
  expect(window?.dead).toBe(false);
  await page.locator(`#tasks li[data-task-id="${taskId}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('follow-up-task-list') });

  // In a task the follow-up box is the docked input bar: at the top of the page it already sits on the bottom edge.
  await page.evaluate('window.scrollTo(0, 0)');
  expect(await page.evaluate(() => document.body.dataset.route)).toBe('task');
  await page.waitForFunction(() => Math.round(document.querySelector('#follow-up-form')?.getBoundingClientRect().bottom ?? 0) === innerHeight);

  // A network error on the first try: the retry goes out with the same id, so the Worker types it once.
  const text = `And now ${TAG}:second`;
  await page.route('**/follow-ups', (route) => route.abort('internetdisconnected'), { times: 1 });
  await page.fill('#follow-up', text);
  await showForm();
  await page.screenshot({ path: screenshotPath('follow-up-open') });
  await page.tap('#send-follow-up');
  await page.waitForFunction(() => /Cannot reach the server/.test(document.querySelector('#follow-up-error')?.textContent ?? ''));
  expect(await page.inputValue('#follow-up')).toBe(text); // kept for the retry
  await page.tap('#send-follow-up');
  await page.waitForSelector('#task-status[data-status="running"]', { timeout: 30_000 });
  expect(followUpPosts).toHaveLength(2);
  expect(followUpPosts[1]).toEqual(followUpPosts[0]);
  expect(await page.isHidden('#follow-up-form')).toBe(true);
  expect(await page.isHidden('#follow-up-error')).toBe(true);
  expect(await page.inputValue('#follow-up')).toBe('');

  // The follow-up's turn plays out on the live pane while the task runs, in the same window.
  await page.waitForFunction(
    (t) =>
      document.querySelector('#task-status')?.getAttribute('data-status') === 'running' &&
      (document.querySelector('#screen')?.textContent ?? '').includes(t),
    answer('second'),
    { timeout: TURN_MS, polling: 50 },
  );
  await page.waitForSelector('#task-status[data-status="succeeded"]', { timeout: TURN_MS });
  await page.locator('#follow-up').waitFor();
  const turns = page.locator('#follow-ups li');
  await page.waitForSelector('#follow-ups li[data-kind="follow-up"][data-state="typed"]');
  expect(await turns.evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-kind'), li.getAttribute('data-state')]))).toEqual([
    ['prompt', 'prompt'],
    ['follow-up', 'typed'],
  ]);
  expect(await turns.nth(1).locator('.turn-text').textContent()).toBe(text);
  expect(await turns.nth(1).locator('.turn-meta').textContent()).toMatch(/^\d\d:\d\d\s*typed$/);
  const after = await stack.fetchTask(taskId);
  expect(after.followUps?.map((f) => [f.id, f.status])).toEqual([[followUpPosts[0]?.id, 'delivered']]);
  expect(await windowsOf(taskId)).toEqual([window]);
  expect(subscriptions()).not.toContain('unsubscribe'); // followed throughout
  await showForm();
  await page.screenshot({ path: screenshotPath('follow-up-conversation') });

  // End session: the box goes, the pane is let go, and the agent quits the CLI and closes its window.
  await page.tap('#close-session');
  await page.waitForSelector('#follow-up-form', { state: 'hidden' });
  expect(await page.getAttribute('#task-status', 'data-status')).toBe('succeeded');
  await waitFor('the task window to close', async () => (await windowsOf(taskId)).length === 0, 30_000);
  expect((await stack.fetchTask(taskId)).openUntil ?? null).toBeNull();
  expect(subscriptions().at(-1)).toBe('unsubscribe');
  await page.waitForFunction((id) => !document.querySelector(`#tasks li[data-task-id="${id}"] .badge-open`), taskId);
  expect(await page.textContent('#follow-ups')).toContain(text); // the conversation stays
  await page.screenshot({ path: screenshotPath('follow-up-ended') });
});
