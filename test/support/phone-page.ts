// A signed-in phone for e2e tests: the whole local stack (optionally with the real Claude Code against the scripted
// model), headless Chromium, and a phone-sized page signed in as the owner with the app ready to take a task. Owns the
// start and stop order; what a test watches is its own business.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, phoneContext } from './browser.ts';
import { cliEnv, secureTempDir } from './cli-home.ts';
import { startModelServer, type ModelScript, type ModelServer } from './model-server.ts';
import { makeGitWorkspace, startStack, type Stack, type StackOptions } from './stack.ts';

/** What shows the app is ready: the composer offers workspace "demo" (the paired agent's). */
const APP_READY = '#workspace option[value="demo"]';

export type PhonePageOptions = {
  /**
   * Runs on the fresh context and its still blank page before sign-in: init scripts, exposed functions, listeners,
   * permissions (awaited). Whatever it sets up sees the app from its first load.
   */
  beforeSignIn?: (phone: { stack: Stack; context: BrowserContext; page: Page }) => Promise<unknown> | void;
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
  await opts.beforeSignIn?.({ stack, context, page });
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

export type ClaudePhonePage = PhonePage & {
  model: ModelServer;
  /** The git repository that is workspace "demo" (inside the test's private temp dir). */
  workspace: string;
};

/**
 * openPhonePage with Claude Code: the scripted model server (`script`), a private temp dir named after `label` holding
 * workspace "demo" (a git repo) and the CLI's home, and an agent that runs the real `claude` against the model; ready
 * once the composer offers the claude backend. stop() also stops the model and removes the temp dir.
 */
export async function openClaudePhonePage(opts: PhonePageOptions & { label: string; script: ModelScript }): Promise<ClaudePhonePage> {
  const { label, script, ...pageOpts } = opts;
  const model = await startModelServer(script);
  let root: string | undefined;
  const cleanUp = async (): Promise<void> => {
    await model.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  };
  try {
    root = await secureTempDir(label);
    const workspace = await makeGitWorkspace(join(root, 'demo'));
    const agentEnv = await cliEnv('claude', { root, workspace, modelUrl: model.url });
    const phone = await openPhonePage({ ready: '#backend option[value="claude"]', ...pageOpts, stack: { agentEnv, workspace } });
    return {
      ...phone,
      model,
      workspace,
      stop: async () => {
        await phone.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
