// Phone page → Worker → room → agent → tmux → room → phone page, in headless Chromium at a phone viewport,
// with the shell backend running real commands in a real git repository.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Stack } from '../support/stack.ts';
import { screenshotPath } from '../support/browser.ts';
import { openPhonePage, type PhonePage } from '../support/phone-page.ts';
import { pidsMatching, waitForNoProcess } from '../support/processes.ts';

let phone: PhonePage;
let stack: Stack;
let page: Page;

beforeAll(async () => {
  phone = await openPhonePage();
  ({ stack, page } = phone);
});

afterAll(async () => {
  await phone?.stop();
});

/** Types `prompt` into the composer, taps Run, opens the new task and returns its id. */
async function runTask(prompt: string): Promise<string> {
  const before = new Set(await page.locator('#tasks li[data-task-id]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-task-id'))));
  await page.selectOption('#workspace', 'demo');
  await page.selectOption('#backend', 'shell');
  await page.fill('#prompt', prompt);
  await page.tap('#run');
  const id = await page.waitForFunction(
    (known) => [...document.querySelectorAll('#tasks li[data-task-id]')].map((li) => li.getAttribute('data-task-id')).find((x) => x && !known.includes(x)),
    [...before],
  );
  const taskId = (await id.jsonValue()) as string;
  if (!(await page.locator('#task-view').isVisible())) await page.tap(`#tasks li[data-task-id="${taskId}"]`);
  await page.locator('#task-view').waitFor();
  return taskId;
}

const statusIs = (status: string) => page.waitForSelector(`#task-status[data-status="${status}"]`, { timeout: 60_000 });

test('a shell task streams its output live, then shows succeeded and keeps its final screen', async () => {
  const prompt = [
    'echo "branch=$(git rev-parse --abbrev-ref HEAD) commits=$(git rev-list --count HEAD)"',
    'for i in 1 2 3 4 5 6; do echo "tick $i"; sleep 1; done',
    'echo "done-marker; -n C-c Enter"',
  ].join('\n');
  const id = await runTask(prompt);

  // Output appears while the task is still running.
  await page.waitForFunction(
    () => document.querySelector('#task-status')?.getAttribute('data-status') === 'running' && /tick 2/.test(document.querySelector('#screen')?.textContent ?? ''),
    undefined,
    { timeout: 60_000 },
  );
  expect(await page.textContent('#screen')).toMatch(/branch=\S+ commits=1/);
  await page.screenshot({ path: screenshotPath('task-running') });

  await statusIs('succeeded');
  await page.waitForFunction(() => /done-marker; -n C-c Enter/.test(document.querySelector('#screen')?.textContent ?? ''));
  expect(await page.textContent('#screen')).toContain('tick 6');
  await page.screenshot({ path: screenshotPath('task-succeeded') });

  const task = await stack.fetchTask(id);
  expect(task).toMatchObject({ status: 'succeeded', exitCode: 0 });
  expect(task.finalScreen?.join('\n')).toContain('done-marker; -n C-c Enter');

  // The final screen survives a reload (it comes from D1 now, not the room).
  await page.reload();
  await page.locator('#task-view').waitFor();
  await statusIs('succeeded');
  await page.waitForFunction(() => /done-marker/.test(document.querySelector('#screen')?.textContent ?? ''));
});

test('a failing command shows failed with its exit status', async () => {
  const id = await runTask('echo about-to-fail\nexit 3');
  await statusIs('failed');
  expect(await page.textContent('#task-view')).toMatch(/\b3\b/);
  expect(await stack.fetchTask(id)).toMatchObject({ status: 'failed', exitCode: 3 });
});

test('cancel from the phone ends the window and every process of the task', async () => {
  const marker = `sleep 4${Math.floor(Math.random() * 9000 + 1000)}`; // a unique argv to find the processes by
  const id = await runTask(`${marker} &\necho "started background child"\n${marker}1\necho never-printed`);
  await page.waitForFunction(() => /started background child/.test(document.querySelector('#screen')?.textContent ?? ''), undefined, {
    timeout: 60_000,
  });
  expect(pidsMatching(marker).length).toBeGreaterThanOrEqual(2);
  await page.tap('#cancel');
  await statusIs('cancelled');
  expect(await waitForNoProcess(marker, 10_000)).toEqual([]);
  const task = await stack.fetchTask(id);
  expect(task.status).toBe('cancelled');
  expect(task.finalScreen?.join('\n') ?? '').not.toContain('never-printed');
  await page.screenshot({ path: screenshotPath('task-cancelled') });
});

test('a prompt over 64 KiB is refused with a clear error and queues nothing', async () => {
  const before = (await (await fetch(`${stack.origin}/api/tasks`, { headers: { cookie: stack.cookie } })).json()) as { tasks: unknown[] };
  await page.fill('#prompt', `echo ${'x'.repeat(70 * 1024)}`);
  await page.tap('#run');
  await page.waitForFunction(() => (document.querySelector('#composer-error')?.textContent ?? '').length > 0);
  expect(await page.textContent('#composer-error')).toMatch(/65536 bytes|64 KiB|too large/i);
  const after = (await (await fetch(`${stack.origin}/api/tasks`, { headers: { cookie: stack.cookie } })).json()) as { tasks: unknown[] };
  expect(after.tasks).toHaveLength(before.tasks.length);
});

test('after the connection drops, the phone reconnects and resumes from its last seq with nothing lost or doubled', async () => {
  const subscribes: Array<{ taskId: string; lastSeq?: number }> = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; taskId: string; lastSeq?: number };
      if (frame.type === 'subscribe') subscribes.push(frame);
    }),
  );
  const id = await runTask('for i in $(seq 1 30); do echo "line $i"; sleep 0.4; done');
  await page.waitForFunction(() => /line 3\b/.test(document.querySelector('#screen')?.textContent ?? ''), undefined, { timeout: 60_000 });

  // Every socket drops (the room restarts empty); the task keeps printing while the phone is away.
  await stack.restartRoom(2000);

  await statusIs('succeeded');
  const lines = (await page.textContent('#screen'))?.split('\n').filter((l) => l.startsWith('line ')) ?? [];
  expect(lines).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
  // The reconnect asked to resume after a seq it already had, not for a fresh start.
  const resumed = subscribes.filter((s) => s.taskId === id && (s.lastSeq ?? 0) > 0);
  expect(resumed.length).toBeGreaterThan(0);
});
