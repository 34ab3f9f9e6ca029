// The slash palette, end to end in headless Chromium at a phone viewport with touch: the real stack (Worker, room,
// built app, `hearth` agent in tmux) with the real Claude Code against the scripted model server (which answers
// `SLASH-ECHO:<word>` with `SLASH-ECHO-ANSWER:<word>`) and the shell backend. "/" opens the palette, typing filters,
// /help, /switch, /model (the created task and the CLI's request carry the model), /abort (confirm, then the task is
// cancelled and its window gone), /resume (open session first, then recent tasks), /new.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { listPanes } from '../../home-agent/tmux.ts';
import type { ModelServer } from '../support/model-server.ts';
import type { Stack } from '../support/stack.ts';
import { screenshotPath } from '../support/browser.ts';
import { openClaudePhonePage, type ClaudePhonePage } from '../support/phone-page.ts';
import { waitFor } from '../support/tmux.ts';

const TAG = 'SLASH-ECHO';
const MODEL = 'hearth-e2e-model';
/** A Claude Code turn on a loaded machine, in ms. */
const TURN_MS = 120_000;

let phone: ClaudePhonePage;
let stack: Stack;
let model: ModelServer;
let page: Page;
/** Ids of the tasks the tests made, by role. */
const made: { claude?: string; inView?: string; fromHome?: string } = {};

beforeAll(async () => {
  phone = await openClaudePhonePage({
    label: 'e2e-slash',
    script: { toolCall: { kind: 'shell', command: 'touch never.txt' }, finalText: 'unused', echoTag: TAG },
  });
  ({ stack, model, page } = phone);
});

afterAll(async () => {
  await phone?.stop();
});

const optionNames = (list = '#prompt-palette') =>
  page.locator(`${list} [role="option"]`).evaluateAll((items) => items.map((li) => li.querySelector('.slash-name')?.textContent));
/** Put `text` in the prompt as typed (an input event), with the box focused. */
async function typePrompt(text: string): Promise<void> {
  await page.tap('#prompt');
  await page.fill('#prompt', text);
}
const status = () => page.textContent('#composer-status');
const sheet = (name: string) => page.locator(`dialog.sheet[data-sheet="${name}"][open]`);
const taskIdInUrl = () => new URL(page.url()).pathname.split('/').pop() ?? '';
async function windowsOf(taskId: string) {
  return (await listPanes(stack.agentEnv['HEARTH_TMUX_SOCKET'] ?? '')).filter((p) => p.windowName === `task-${taskId.slice(0, 8)}`);
}

test('"/" opens the palette with all six commands, typing filters it, Esc closes it; unknown words and paths', async () => {
  await typePrompt('/');
  await page.locator('#prompt-palette').waitFor();
  expect(await optionNames()).toEqual(['/help', '/new', '/abort', '/model', '/switch', '/resume']);
  expect(await page.getAttribute('#prompt-combo', 'aria-expanded')).toBe('true');
  expect(await page.getAttribute('#prompt', 'aria-activedescendant')).toBe('prompt-palette-help');
  expect(await page.locator('#prompt-palette [role="option"]').first().textContent()).toContain('Show these commands');
  expect(await page.locator('#prompt-palette .slash-arg').allTextContents()).toEqual(['<name>', '<backend>']);
  for (const box of await page.locator('#prompt-palette [role="option"]').evaluateAll((items) => items.map((li) => li.getBoundingClientRect().height))) {
    expect(box).toBeGreaterThanOrEqual(44);
  }
  await page.screenshot({ path: screenshotPath('slash-palette') });

  await page.keyboard.press('ArrowDown');
  expect(await page.getAttribute('#prompt', 'aria-activedescendant')).toBe('prompt-palette-new');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await page.getAttribute('#prompt', 'aria-activedescendant')).toBe('prompt-palette-resume');

  await page.keyboard.type('mo');
  expect(await optionNames()).toEqual(['/model']);
  await page.keyboard.press('Escape');
  expect(await page.isHidden('#prompt-palette')).toBe(true);
  expect(await page.getAttribute('#prompt-combo', 'aria-expanded')).toBe('false');
  expect(await page.inputValue('#prompt')).toBe('/mo');

  // A word no command has: said under the box, and Run does not send it.
  await typePrompt('/foo');
  expect(await status()).toBe('Unknown command /foo — type /help');
  const before = (await fetch(`${stack.origin}/api/tasks`, { headers: { cookie: stack.cookie } }).then((r) => r.json())) as { tasks: unknown[] };
  await page.tap('#run');
  expect(await status()).toBe('Unknown command /foo — type /help');
  expect(await page.inputValue('#prompt')).toBe('/foo');
  // A prompt that starts with a path: no palette, and Run is a plain Run.
  await typePrompt('/etc/hosts');
  expect(await page.isHidden('#prompt-palette')).toBe(true);
  expect(await page.isHidden('#composer-status')).toBe(true);
  const after = (await fetch(`${stack.origin}/api/tasks`, { headers: { cookie: stack.cookie } }).then((r) => r.json())) as { tasks: unknown[] };
  expect(after.tasks).toHaveLength(before.tasks.length);
  await page.fill('#prompt', '');
});

test('/help shows every command in a sheet that a tap dismisses', async () => {
  await typePrompt('/he');
  await page.tap('#prompt-palette-help');
  await sheet('help').waitFor();
  expect(await page.inputValue('#prompt')).toBe('');
  const rows = await sheet('help').locator('.help-row .slash-name').allTextContents();
  expect(rows).toEqual(['/help', '/new', '/abort', '/model', '/switch', '/resume']);
  await page.screenshot({ path: screenshotPath('slash-help') });
  await sheet('help').getByRole('button', { name: 'Close' }).tap();
  await sheet('help').waitFor({ state: 'detached' });
});

test('/switch switches the backend picker; an unknown backend is explained; without a name it offers a picker', async () => {
  await typePrompt('/switch shell');
  expect(await optionNames()).toEqual(['/switch']);
  await page.keyboard.press('Enter');
  expect(await page.inputValue('#backend')).toBe('shell');
  expect(await status()).toBe('Backend: shell.');

  await typePrompt('/switch vim');
  await page.tap('#run');
  expect(await status()).toMatch(/^Unknown backend “vim” — offered: ([a-z]+, )*shell(, [a-z]+)*\.$/);
  expect(await status()).toContain('claude');
  expect(await page.inputValue('#backend')).toBe('shell');

  await typePrompt('/model opus');
  await page.keyboard.press('Enter');
  expect(await status()).toBe('The shell backend takes no model — /switch to an AI CLI first.');
  expect(await page.isHidden('#model-chip')).toBe(true);

  await typePrompt('/sw');
  await page.tap('#prompt-palette-switch');
  await sheet('switch').waitFor();
  await sheet('switch').getByRole('button', { name: 'claude' }).tap();
  expect(await page.inputValue('#backend')).toBe('claude');
});

test('/model sets a removable chip for claude, the created task carries it, and the CLI asks for it', { timeout: 300_000 }, async () => {
  await page.selectOption('#backend', 'claude');
  await typePrompt('/model');
  await page.keyboard.press('Enter');
  await sheet('model').waitFor();
  expect(await sheet('model').locator('.sheet-choice').allTextContents()).toEqual(['sonnet', 'opus', 'haiku', 'CLI default']);
  await page.screenshot({ path: screenshotPath('slash-model-picker') });
  await sheet('model').getByRole('textbox', { name: 'Or type a model name' }).fill('-bad name');
  await sheet('model').getByRole('button', { name: 'Use' }).tap();
  expect(await sheet('model').getByRole('alert').textContent()).toMatch(/not a model name/);
  await sheet('model').getByRole('textbox', { name: 'Or type a model name' }).fill(MODEL);
  await sheet('model').getByRole('button', { name: 'Use' }).tap();
  await page.locator('#model-chip').waitFor();
  expect(await page.textContent('#model-chip-name')).toBe(MODEL);
  expect(await page.getAttribute('#model-chip-remove', 'aria-label')).toBe(`Remove the model ${MODEL}`);

  // Remembered for claude, not shown for the shell.
  await page.reload();
  await page.locator('#backend option[value="claude"]').waitFor({ state: 'attached' });
  await page.selectOption('#backend', 'claude');
  expect(await page.textContent('#model-chip-name')).toBe(MODEL);
  await page.selectOption('#backend', 'shell');
  expect(await page.isHidden('#model-chip')).toBe(true);
  await page.selectOption('#backend', 'claude');
  await page.screenshot({ path: screenshotPath('slash-model-chip') });

  await typePrompt(`Please reply to ${TAG}:model`);
  await page.tap('#run');
  await page.waitForURL(/\/tasks\//);
  made.claude = taskIdInUrl();
  expect((await stack.fetchTask(made.claude)).model).toBe(MODEL);
  await page.waitForSelector('#task-status[data-status="succeeded"]', { timeout: TURN_MS });
  const asked = model.requests().filter((r) => r.turn === 'echo' && JSON.stringify(r.body).includes(`${TAG}:model`));
  expect(asked.length).toBeGreaterThan(0);
  for (const request of asked) expect(request.body).toMatchObject({ model: MODEL });

  await page.tap('#model-chip-remove');
  expect(await page.isHidden('#model-chip')).toBe(true);
});

test('/abort asks first, then cancels the task in view; on the home page it names the newest running task', { timeout: 180_000 }, async () => {
  // Nothing running on the home page (the claude task succeeded; its open window is no running task).
  await typePrompt('/new');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  await typePrompt('/abort');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#composer-status')?.textContent === 'Nothing is running.');

  const runShell = async (): Promise<string> => {
    await page.selectOption('#backend', 'shell');
    await typePrompt('sleep 60');
    await page.tap('#run');
    await page.waitForURL(/\/tasks\//);
    await page.waitForSelector('#task-status[data-status="running"]', { timeout: 60_000 });
    return taskIdInUrl();
  };

  // In view: confirm, cancel, the window goes.
  made.inView = await runShell();
  await typePrompt('/abort');
  await page.keyboard.press('Enter');
  await sheet('abort').waitFor();
  expect(await sheet('abort').locator('.sheet-task-name').textContent()).toBe('sleep 60');
  expect(await sheet('abort').locator('.sheet-task').getAttribute('data-task-id')).toBe(made.inView);
  await page.screenshot({ path: screenshotPath('slash-abort-confirm') });
  await sheet('abort').getByRole('button', { name: 'Cancel the task' }).tap();
  await page.waitForSelector('#task-status[data-status="cancelled"]', { timeout: 30_000 });
  expect(await status()).toBe('Cancelled “sleep 60”.');
  expect((await stack.fetchTask(made.inView)).status).toBe('cancelled');
  await waitFor('the cancelled task’s window to go', async () => (await windowsOf(made.inView ?? '')).length === 0, 30_000);

  // From the home page: the newest running task is named; "Keep it running" keeps it, the second /abort cancels it.
  made.fromHome = await runShell();
  await page.tap('#back');
  await page.waitForURL((url) => url.pathname === '/');
  await typePrompt('/abort');
  await page.keyboard.press('Enter');
  await sheet('abort').waitFor();
  expect(await sheet('abort').locator('.sheet-task').getAttribute('data-task-id')).toBe(made.fromHome);
  await sheet('abort').getByRole('button', { name: 'Keep it running' }).tap();
  await sheet('abort').waitFor({ state: 'detached' });
  expect((await stack.fetchTask(made.fromHome)).status).toBe('running');
  await typePrompt('/abort');
  await page.keyboard.press('Enter');
  await sheet('abort').getByRole('button', { name: 'Cancel the task' }).tap();
  await page.waitForFunction(() => document.querySelector('#composer-status')?.textContent === 'Cancelled “sleep 60”.');
  await waitFor('the second task cancelled', async () => (await stack.fetchTask(made.fromHome ?? '')).status === 'cancelled', 30_000);
  await waitFor('its window to go', async () => (await windowsOf(made.fromHome ?? '')).length === 0, 30_000);
});

test('/resume lists the open session first and earlier tasks after it; a tap opens one; it works from the session box too', async () => {
  const claude = made.claude ?? '';
  await typePrompt('/resume');
  await page.keyboard.press('Enter');
  await sheet('resume').waitFor();
  const rows = () => sheet('resume').locator('.resume-row').evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('data-kind'), b.getAttribute('data-task-id')]));
  expect(await rows()).toEqual([
    ['session', claude],
    ['task', made.fromHome],
    ['task', made.inView],
  ]);
  expect(await sheet('resume').locator('[data-kind="session"]').textContent()).toContain('continue this session');
  expect(await sheet('resume').locator(`[data-task-id="${made.inView}"]`).textContent()).toMatch(/sleep 60.*shell.*ago|sleep 60.*shell.*just now/);
  await page.screenshot({ path: screenshotPath('slash-resume') });
  await sheet('resume').getByRole('searchbox', { name: 'Search tasks' }).fill('sleep');
  expect((await rows()).map(([, id]) => id)).toEqual([made.fromHome, made.inView]);
  await sheet('resume').getByRole('searchbox', { name: 'Search tasks' }).fill('');

  await sheet('resume').locator('[data-kind="session"]').tap();
  await page.waitForURL(new RegExp(`/tasks/${claude}$`));
  await page.waitForFunction(() => document.activeElement?.id === 'follow-up');

  // In the session's box: the four commands that apply there; /help on Send runs it instead of typing it.
  const followUpPosts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/follow-ups$/.test(r.url())) followUpPosts.push(r.url());
  });
  await page.fill('#follow-up', '/');
  expect(await optionNames('#follow-up-palette')).toEqual(['/help', '/new', '/abort', '/resume']);
  await page.locator('#follow-up-combo').evaluate((combo) => combo.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: screenshotPath('slash-follow-up-palette') });
  await page.fill('#follow-up', '/help');
  await page.tap('#send-follow-up');
  await sheet('help').waitFor();
  await page.keyboard.press('Escape');
  await sheet('help').waitFor({ state: 'detached' });
  expect(followUpPosts).toEqual([]);

  await page.fill('#follow-up', '/res');
  await page.tap('#follow-up-palette-resume');
  await sheet('resume').waitFor();
  await sheet('resume').locator(`[data-task-id="${made.inView}"]`).tap();
  await page.waitForURL(new RegExp(`/tasks/${made.inView}$`));
  await page.waitForSelector('#task-status[data-status="cancelled"]');
});

test('/new leaves the task view for an empty, focused composer', async () => {
  await typePrompt('/new');
  await page.tap('#prompt-palette-new');
  await page.waitForURL((url) => url.pathname === '/');
  expect(await page.isHidden('#task-view')).toBe(true);
  expect(await page.inputValue('#prompt')).toBe('');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt');
  expect(await page.isHidden('#prompt-palette')).toBe(true);
});
