// Headless Chromium for e2e tests: Debian's /usr/bin/chromium through playwright-core, at a phone viewport.
// Never downloads a browser.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { repoRoot } from './stack.ts';

export const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';

/** The brief's flags for headless Chromium here (no sandbox, no background traffic), plus no QUIC and no sync. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
] as const;

/** The phone every e2e test is: 390×844 CSS px, 2× pixels, touch, mobile viewport meta honoured. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}

/** A phone-sized context (390×844, touch, 2× pixels). */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ ...PHONE });
}

/** Put a session cookie (`hearth_session=…`, as the Worker sets it after a passkey sign-in) into `context` for `origin`. */
export async function addSessionCookie(context: BrowserContext, origin: string, cookie: string): Promise<void> {
  const [name = '', value = ''] = cookie.split('=', 2);
  await context.addCookies([{ name, value, url: origin, httpOnly: true, secure: true, sameSite: 'Strict' }]);
}

/** Where screenshots go: docs/screenshots when HEARTH_SCREENSHOTS=1 (to refresh the README's), else test-results/. */
export function screenshotPath(name: string): string {
  const dir = process.env.HEARTH_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'screenshots') : join(repoRoot, 'test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
