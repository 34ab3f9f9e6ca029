// A signed-in phone for e2e tests: the whole local stack, headless Chromium, and a phone-sized page signed in as the
// owner with the app ready to take a task. Owns the start and stop order; what a test watches is its own business.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, phoneContext } from './browser.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

/** What shows the app is ready: the composer offers workspace "demo" (the paired agent's). */
const APP_READY = '#workspace option[value="demo"]';

export type PhonePageOptions = {
  /**
   * Runs on the fresh context and its still blank page before sign-in: init scripts, exposed functions, listeners,
   * permissions. Whatever it sets up sees the app from its first load.
   */
  beforeSignIn?: (context: BrowserContext, page: Page) => Promise<void> | void;
  /** The element whose presence (attached) means the app is ready; default: workspace "demo" in the composer. */
  ready?: string;
};

export type PhonePage = {
  stack: Stack;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes the browser, then stops the stack. */
  stop(): Promise<void>;
};

/**
 * A new phone context (390×844, touch) and page in `browser`, signed in on `stack` as the owner (a fresh passkey
 * sign-in) and waited on until the app is ready (≤ 60 s).
 */
export async function signedInPhonePage(stack: Stack, browser: Browser, opts: PhonePageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await opts.beforeSignIn?.(context, page);
  await stack.signInPage(page);
  await page.locator(opts.ready ?? APP_READY).waitFor({ state: 'attached', timeout: 60_000 });
  return { context, page };
}

/** Start the stack (`stack`: startStack's options) and Chromium, and open a signed-in phone page; stop() undoes it all. */
export async function openPhonePage(opts: PhonePageOptions & { stack?: StackOptions } = {}): Promise<PhonePage> {
  const stack = await startStack(opts.stack);
  let browser: Browser | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close();
    await stack.stop();
  };
  try {
    browser = await launchChromium();
    const { context, page } = await signedInPhonePage(stack, browser, opts);
    return { stack, browser, context, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
