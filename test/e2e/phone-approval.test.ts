// A tool approval from the phone, end to end: the real Claude Code in tmux (against the scripted model server)
// asks to run a command → the approval appears in the page → tapping Allow lets the task continue to succeeded.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Stack } from '../support/stack.ts';
import { screenshotPath } from '../support/browser.ts';
import { openClaudePhonePage, type ClaudePhonePage } from '../support/phone-page.ts';
import { waitFor } from '../support/tmux.ts';

let phone: ClaudePhonePage;
let stack: Stack;
let page: Page;
let workspace: string;

beforeAll(async () => {
  phone = await openClaudePhonePage({
    label: 'e2e-approval',
    script: {
      toolCall: { kind: 'shell', command: 'touch approved.txt', description: 'Create the file' },
      finalText: 'Done: approved.txt exists. FINAL-MARKER',
    },
  });
  ({ stack, page, workspace } = phone);
});

afterAll(async () => {
  await phone?.stop();
});

test('the approval appears on the phone; Allow lets Claude Code run the tool and the task succeeds', async () => {
  await page.selectOption('#workspace', 'demo');
  await page.selectOption('#backend', 'claude');
  await page.fill('#prompt', 'Create approved.txt please');
  await page.tap('#run');

  const card = page.locator('#approvals article[data-status="pending"]').first();
  await card.waitFor({ timeout: 90_000 });
  expect(await card.locator('.approval-summary').textContent()).toContain('touch approved.txt');
  expect(await card.locator('.approval-cwd').textContent()).toContain(workspace);
  expect(existsSync(join(workspace, 'approved.txt'))).toBe(false); // nothing ran before the tap
  await page.screenshot({ path: screenshotPath('approval-pending') });

  const taskId = await card.getAttribute('data-task-id');
  await card.locator('button.allow').tap();
  await page.waitForFunction(() => document.querySelectorAll('#approvals article[data-status="pending"]').length === 0);

  await waitFor('the task to succeed', async () => (await stack.fetchTask(taskId ?? '')).status === 'succeeded', 60_000);
  expect(existsSync(join(workspace, 'approved.txt'))).toBe(true);
  const task = await stack.fetchTask(taskId ?? '');
  expect(task.status).toBe('succeeded');
  expect(task.finalScreen?.join('\n')).toContain('FINAL-MARKER');
  await page.goto(`${stack.origin}/tasks/${taskId}`);
  await page.waitForSelector('#task-status[data-status="succeeded"]');
  await page.screenshot({ path: screenshotPath('approval-task-succeeded') });
});
