// The phone layout in headless Chromium at 390×844 with touch: the input bar docked at the bottom of what is visible,
// accessible names on every control, touch targets, dark and light palettes, and a readable, copyable pane.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { TaskView } from '../../protocol/index.ts';
import type { Stack } from '../support/stack.ts';
import { screenshotPath } from '../support/browser.ts';
import { openPhonePage, type PhonePage } from '../support/phone-page.ts';
import { waitFor } from '../support/tmux.ts';

let phone: PhonePage;
let stack: Stack;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  phone = await openPhonePage();
  ({ stack, context, page } = phone);
});

afterAll(async () => {
  await phone?.stop();
});

/** Wait (≤ 60 s) until task `id` has `status`. */
const waitForStatus = (id: string, status: TaskView['status']) =>
  waitFor(`task ${id} to be ${status}`, async () => (await stack.fetchTask(id)).status === status, 60_000);

/** Controls the accessibility tree exposes without a name: `role "name"` lines, empty when all are named. */
async function unnamedControls(cdp: CDPSession): Promise<string[]> {
  const interactive = new Set(['button', 'link', 'textbox', 'combobox', 'checkbox', 'radio', 'switch', 'option', 'listbox', 'searchbox', 'menuitem', 'slider', 'spinbutton']);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored: boolean; role?: { value?: string }; name?: { value?: string }; backendDOMNodeId?: number }[];
  };
  const missing: string[] = [];
  for (const node of nodes) {
    const role = node.role?.value ?? '';
    if (node.ignored || !interactive.has(role)) continue;
    if ((node.name?.value ?? '').trim() === '') {
      const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId ?? 0 })) as { object: { description?: string } };
      missing.push(`${role} ${object.description ?? '?'}`);
    }
  }
  return missing;
}

/** Visible controls in the viewport smaller than 44×44 CSS px (WCAG 2.5.5 / Apple HIG), as `selector w×h`. */
function smallTargets(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], select, input:not([type=hidden]), textarea, [role=option]')) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      if (box.bottom < 0 || box.top > innerHeight) continue;
      if (el instanceof HTMLInputElement && el.type === 'file') continue;
      if (box.width < 44 || box.height < 44) out.push(`${el.tagName.toLowerCase()}#${el.id || el.className} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return out;
  });
}

describe('the phone layout', () => {
  let running: TaskView;

  test('the task list scrolls under a composer docked at the bottom, and the bar follows the visible viewport', async () => {
    const done = await stack.createTask({ workspace: 'demo', backend: 'shell', prompt: 'echo "build ok"' });
    const failed = await stack.createTask({ workspace: 'demo', backend: 'shell', prompt: 'echo "3 tests failed"; exit 1' });
    for (let i = 1; i <= 6; i++) await stack.createTask({ workspace: 'demo', backend: 'shell', prompt: `echo "step ${i}"` });
    await waitForStatus(failed.id, 'failed');
    await waitForStatus(done.id, 'succeeded');
    running = await stack.createTask({ workspace: 'demo', backend: 'shell', prompt: 'for i in $(seq 1 60); do echo "line $i of a long-running job"; sleep 1; done' });
    await waitForStatus(running.id, 'running');
    await page.reload();
    await page.locator(`#tasks li[data-task-id="${running.id}"]`).waitFor();

    expect(await page.evaluate(() => document.body.dataset.route)).toBe('home');
    const list = await page.locator('#tasks').boundingBox();
    const composer = await page.locator('#composer').boundingBox();
    // More tasks than fit: the page scrolls, and the composer sits on the viewport's bottom edge all the same.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(844);
    expect(composer && Math.round(composer.y + composer.height)).toBe(844);
    expect(list && composer && list.y).toBeLessThan(composer?.y ?? 0);
    await page.screenshot({ path: screenshotPath('phone-task-list') });

    // A smaller visual viewport (as when the keyboard opens; here by CDP page scale) moves the bar to its bottom.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
    await page.waitForFunction(() => (window.visualViewport?.scale ?? 1) > 1.5);
    await page.waitForFunction(() => {
      const vv = window.visualViewport;
      const bar = document.querySelector('#composer')?.getBoundingClientRect();
      return vv && bar && Math.abs(bar.bottom - (vv.offsetTop + vv.height)) < 2;
    });
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--keyboard-inset'))).not.toBe('0px');
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
    await page.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--keyboard-inset') === '0px');
    await cdp.detach();
  });

  test('every control has an accessible name and a touch-sized target, on the list, the palette, a task and settings', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Accessibility.enable');
    expect(await unnamedControls(cdp)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);

    await page.tap('#prompt');
    await page.fill('#prompt', '/');
    await page.locator('#prompt-palette').waitFor();
    expect(await unnamedControls(cdp)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('phone-slash-palette') });
    await page.fill('#prompt', '');

    await page.tap(`#tasks li[data-task-id="${running.id}"] a`);
    await page.locator('#task-view').waitFor();
    await page.waitForFunction(() => /line \d+ of a long-running job/.test(document.querySelector('#screen')?.textContent ?? ''));
    expect(await page.evaluate(() => document.body.dataset.route)).toBe('task');
    await page.waitForFunction(() => /line 8 of/.test(document.querySelector('#screen')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await unnamedControls(cdp)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('phone-live-task') });

    await page.tap('#settings-link');
    await page.locator('#settings-view').waitFor();
    expect(await unnamedControls(cdp)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await cdp.detach();
  });

  test('the pane is monospace, readable at phone width, scrolls within itself and its text can be selected and copied', async () => {
    await page.goto(`${stack.origin}/tasks/${running.id}`);
    await page.locator('#task-view').waitFor();
    await page.waitForFunction(() => /line \d+ of a long-running job/.test(document.querySelector('#screen')?.textContent ?? ''));
    const style = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('#screen') as Element);
      return { font: s.fontFamily, size: parseFloat(s.fontSize), select: s.userSelect, overflowY: s.overflowY, overflowX: s.overflowX };
    });
    expect(style.font).toMatch(/mono/i);
    expect(style.size).toBeGreaterThanOrEqual(11);
    expect(style.select).not.toBe('none');
    expect(style.overflowY).toBe('auto');
    // Selecting the pane's text gives the rows as they are on screen.
    const selected = await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('#screen') as Node);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      return getSelection()?.toString() ?? '';
    });
    expect(selected).toMatch(/line \d+ of a long-running job/);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#screen') as Element).whiteSpace)).toBe('pre-wrap');

    // "Fit 80 columns" switches to the terminal's own rows in smaller type, and the choice survives a reload.
    await page.tap('#screen-fit');
    expect(await page.getAttribute('#screen-fit', 'aria-pressed')).toBe('true');
    const fitted = await page.evaluate(() => getComputedStyle(document.querySelector('#screen') as Element));
    expect(fitted.whiteSpace).toBe('pre');
    expect(parseFloat(fitted.fontSize)).toBeLessThan(style.size);
    await page.reload();
    await page.locator('#task-view').waitFor();
    expect(await page.getAttribute('#screen', 'data-fit')).toBe('true');
    await page.tap('#screen-fit');
    expect(await page.getAttribute('#screen', 'data-fit')).toBe('false');

    // "Copy" puts the pane's text on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.origin });
    await page.waitForFunction(() => /line \d+ of a long-running job/.test(document.querySelector('#screen')?.textContent ?? ''));
    await page.tap('#screen-copy');
    await page.locator('#screen-copied').filter({ hasText: 'Copied the screen' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/line \d+ of a long-running job/);
  });

  test('dark and light palettes follow the phone', async () => {
    await page.goto(stack.origin);
    await page.locator('#tasks li').first().waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.screenshot({ path: screenshotPath('phone-task-list-dark') });
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(dark).toBe('rgb(17, 20, 24)');
    expect(light).toBe('rgb(246, 247, 249)');
    const themeColors = await page.locator('meta[name="theme-color"]').evaluateAll((metas) => metas.map((m) => m.getAttribute('media')));
    expect(themeColors).toEqual(expect.arrayContaining(['(prefers-color-scheme: dark)', '(prefers-color-scheme: light)']));
  });
});
