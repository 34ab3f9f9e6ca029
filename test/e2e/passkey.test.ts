// Passkeys end to end in headless Chromium with a CDP virtual authenticator (WebAuthn domain): open a setup link,
// create a passkey, be signed in; sign out; sign in with the passkey; re-verify on the pair page; and a browser
// without the credential cannot sign in. The app is opened at localhost: browsers refuse an IP address as rpId.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { DeviceAuthorizationResponse, Me } from '../../protocol/index.ts';
import { mintSetupLink } from '../../scripts/passkey-client.ts';
import { launchChromium, phoneContext, screenshotPath } from '../support/browser.ts';
import { auditOf, sessionTokenHash, withD1 } from '../support/passkeys.ts';
import { buildWeb } from '../support/stack.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';

type VirtualCredential = { credentialId: string; isResidentCredential: boolean; rpId?: string; signCount: number };

/** A CDP virtual authenticator like a phone's: CTAP2, built in, resident keys, user verification that succeeds. */
async function addAuthenticator(context: BrowserContext, page: Page): Promise<{ cdp: CDPSession; credentials: () => Promise<VirtualCredential[]> }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
}

describe('passkeys in the browser', () => {
  let worker: RunningWorker;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    await buildWeb();
    worker = await startWorker();
    origin = worker.url.replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  const sessionCookie = async (context: BrowserContext) => (await context.cookies(origin)).find((c) => c.name === 'hearth_session');
  const signedIn = (page: Page) => page.locator('#home').waitFor({ state: 'visible' });

  it('creates a passkey from a setup link, signs out, signs in with it, and re-verifies to approve a pairing', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const authenticator = await addAuthenticator(context, page);

    await page.goto(await mintSetupLink(origin, worker.setupSecret, 'e2e-passkey-owner'));
    await page.locator('#setup').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe(''); // the token left the address bar before anything was sent
    await page.screenshot({ path: screenshotPath('passkey-setup') });
    await page.tap('#create-passkey');
    await signedIn(page);
    await page.locator('#tasks').waitFor({ state: 'attached' });

    const [credential] = await authenticator.credentials();
    expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    const me = Me.parse(await page.evaluate(async () => (await fetch('/api/me')).json()));
    expect(me.name).toBe('e2e-passkey-owner');

    await page.tap('#sign-out');
    await page.locator('#passkey-sign-in').waitFor({ state: 'visible' });
    expect(await sessionCookie(context)).toBeUndefined();
    expect((await fetch(`${worker.url}/api/me`, { headers: { cookie: `hearth_session=${cookie!.value}` } })).status).toBe(401);
    await page.screenshot({ path: screenshotPath('passkey-sign-in') });

    await page.tap('#passkey-sign-in');
    await signedIn(page);
    const [after] = await authenticator.credentials();
    expect(after!.signCount).toBeGreaterThan(credential!.signCount);
    const session = await sessionCookie(context);
    expect(session?.value).not.toBe(cookie!.value);

    // Approving a pairing needs a passkey verified in the last 5 minutes: the pair page runs the prompt and retries.
    const code = DeviceAuthorizationResponse.parse(
      await (await fetch(`${worker.url}/api/device/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"hearth-agent"}' })).json(),
    );
    await withD1(worker, (d1) =>
      d1.prepare('UPDATE sessions SET passkey_verified_at = ? WHERE token_hash = ?').run(Date.now() - 10 * 60_000, sessionTokenHash(`hearth_session=${session!.value}`)),
    );
    await page.goto(`${origin}/pair?user_code=${code.user_code}`);
    await page.locator('#pair-view').waitFor({ state: 'visible' });
    await page.tap('#approve');
    await page.locator('#pair-result[data-decision="approve"]').waitFor();
    const actions = (await auditOf(worker, me.ownerId)).map((a) => a.action);
    // The passkey ceremonies, in order (the pairing's own entries follow).
    expect(actions.slice(0, 6)).toEqual(['setup-link-created', 'passkey-registered', 'sign-in', 'sign-out', 'sign-in', 'passkey-reverified']);
    await context.close();
  });

  it('does not sign in a browser that holds no passkey for the site', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await addAuthenticator(context, page);
    await page.goto(origin);
    await page.locator('#passkey-sign-in').waitFor({ state: 'visible' });
    await page.tap('#passkey-sign-in');
    await page.locator('#sign-in-error').waitFor({ state: 'visible' });
    expect(await page.textContent('#sign-in-error')).toMatch(/closed or timed out/);
    expect(await page.locator('#home').isVisible()).toBe(false);
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    await context.close();
  });
});
