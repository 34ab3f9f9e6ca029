// The phone app under its own security headers in headless Chromium: signed in, it loads, talks to the Worker, opens
// its room socket to PartyKit (connect-src) and runs a task, with no CSP or Permissions-Policy complaint.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { launchChromium, phoneContext } from '../support/browser.ts';

let stack: Stack;
let browser: Browser;
let page: Page;
const complaints: string[] = [];

/** Console lines about a policy the page broke: CSP, Permissions-Policy, or a header Chromium could not parse. */
const isPolicyComplaint = (m: ConsoleMessage): boolean =>
  /Content.Security.Policy|Permissions.Policy|Unrecognized feature|Refused to (load|execute|connect|apply|frame)/i.test(m.text());

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await (await phoneContext(browser)).newPage();
  page.on('console', (m) => {
    if (isPolicyComplaint(m)) complaints.push(`${m.type()}: ${m.text()}`);
  });
  // Runs through CDP before any page script, so the CSP does not apply to it; the page's own code still does.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

test('the signed-in app loads, connects to its room and runs a task with no policy violation', async () => {
  const first = page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.request().resourceType() === 'document');
  await stack.signInPage(page);
  const csp = (await first).headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\d+ ws:\/\/127\.0\.0\.1:\d+/);

  await page.locator('#workspace option[value="demo"]').waitFor({ state: 'attached' });
  await page.waitForSelector('#connection[data-state="connected"]', { timeout: 30_000 });
  await page.waitForSelector('#agent-presence[data-online="true"]', { timeout: 30_000 });

  await page.selectOption('#workspace', 'demo');
  await page.selectOption('#backend', 'shell');
  await page.fill('#prompt', 'echo csp-ok-marker');
  await page.tap('#run');
  const task = page.locator('#tasks li[data-task-id]').first();
  await task.waitFor();
  if (!(await page.locator('#task-view').isVisible())) await task.tap();
  await page.waitForFunction(() => (document.querySelector('#screen')?.textContent ?? '').includes('csp-ok-marker'), undefined, { timeout: 60_000 });
  expect(await violations()).toEqual([]);

  await page.goto(`${stack.origin}/pair`);
  await page.locator('#pair-view').waitFor();
  expect(await violations()).toEqual([]);
  expect(complaints).toEqual([]);
});
