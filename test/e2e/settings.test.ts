// The settings page end to end in headless Chromium against the whole stack (Worker, room, a paired home agent): two
// phones signed in with passkeys on CDP virtual authenticators; one revokes the other's session (its API calls get
// 401, its room socket closes), revokes the home agent, adds, renames and removes a passkey (the Worker asks for a
// fresh passkey check first), and reads it all back in the activity log with the chain intact. At localhost: browsers
// refuse an IP address as rpId.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { mintSetupLink } from '../../scripts/passkey-client.ts';
import { launchChromium, phoneContext, screenshotPath } from '../support/browser.ts';
import { sessionTokenHash, withD1 } from '../support/passkeys.ts';
import { startStack, type Stack } from '../support/stack.ts';

const OWNER = 'e2e-settings-owner';
const PIXEL = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** A browser context with its page, a CDP session holding its virtual authenticator, and every room socket it opened. */
type Phone = { context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string; sockets: Array<{ url: string; closed: boolean }> };

/** A CTAP2 authenticator with resident keys and user verification that succeeds (a phone's, or a security key). */
async function addAuthenticator(cdp: CDPSession, transport: 'internal' | 'usb'): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport, hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return authenticatorId;
}

describe('the settings page', () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;
  let a: Phone;
  let b: Phone;
  /** The other phone's session, once this one revoked it. */
  let revokedSessionId = '';

  /** A phone with `userAgent` that opens a fresh setup link for the owner and creates a passkey: signed in. */
  async function signedInPhone(userAgent: string): Promise<Phone> {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setUserAgentOverride', { userAgent });
    await cdp.send('WebAuthn.enable');
    const authenticatorId = await addAuthenticator(cdp, 'internal');
    const sockets: Phone['sockets'] = [];
    page.on('websocket', (ws) => {
      const socket = { url: ws.url(), closed: false };
      sockets.push(socket);
      ws.on('close', () => void (socket.closed = true));
    });
    await page.goto(await mintSetupLink(origin, stack.worker.setupSecret, OWNER));
    await page.tap('#create-passkey');
    await page.locator('#home').waitFor({ state: 'visible' });
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    return { context, page, cdp, authenticatorId, sockets };
  }

  const sessionCookie = async (phone: Phone): Promise<string> => {
    const cookie = (await phone.context.cookies(origin)).find((c) => c.name === 'hearth_session');
    if (!cookie) throw new Error('no session cookie');
    return `hearth_session=${cookie.value}`;
  };
  /** Set when this phone's session last proved a passkey (the Worker wants one within 5 minutes for passkey changes). */
  const passkeyVerifiedAt = (phone: Phone, at: number) =>
    sessionCookie(phone).then((cookie) =>
      withD1(stack.worker, (d1) => d1.prepare('UPDATE sessions SET passkey_verified_at = ? WHERE token_hash = ?').run(at, sessionTokenHash(cookie))),
    );
  /** Scroll `id` under the header and let two frames paint (a screenshot right after a jump can catch it half drawn). */
  const showSection = (page: Page, id: string) =>
    page.evaluate(async (selector) => {
      document.querySelector(selector)?.scrollIntoView();
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }, id);
  const titles = (page: Page, list: string) => page.locator(`${list} .item-title`).allTextContents();

  beforeAll(async () => {
    stack = await startStack({ owner: OWNER });
    origin = stack.origin.replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
    a = await signedInPhone(PIXEL);
    b = await signedInPhone(IPHONE);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists both phones’ sessions; revoking the other one answers its next API call 401 and closes its room socket', async () => {
    const { page } = a;
    await page.getByRole('link', { name: 'Settings' }).tap();
    await page.locator('#settings-view').waitFor({ state: 'visible' });
    expect(new URL(page.url()).pathname).toBe('/settings');
    const sessions = page.locator('#sessions-list li');
    await expect.poll(() => sessions.count()).toBe(3);
    // This phone, the other phone, and the stack's own sign-in from Node (it paired the agent).
    expect((await titles(page, '#sessions-list')).sort()).toEqual(['Chrome on Android', 'Node.js', 'Safari on iPhone']);
    const mine = page.locator('#sessions-list li[data-current="true"]');
    expect(await mine.locator('.item-title').textContent()).toBe('Chrome on Android');
    expect(await mine.locator('.badge').textContent()).toBe('This phone');
    expect(await mine.locator('.item-facts').textContent()).toMatch(/IP .*signed in .*last used /);

    const other = page.locator('#sessions-list li', { hasText: 'Safari on iPhone' });
    revokedSessionId = (await other.getAttribute('data-session-id')) ?? '';
    expect(revokedSessionId).toMatch(/^[0-9a-f-]{36}$/);
    await other.getByRole('button', { name: /^Revoke the session of Safari on iPhone/ }).tap();
    await other.locator('.confirm').waitFor();
    expect(await other.locator('.confirm p').textContent()).toBe('Revoke the session of Safari on iPhone? That browser is signed out at once.');
    await page.screenshot({ path: screenshotPath('settings-sessions') });
    expect(b.sockets.some((s) => !s.closed)).toBe(true);
    await other.getByRole('button', { name: 'Yes, revoke the session of Safari on iPhone', exact: true }).tap();
    await expect.poll(() => titles(page, '#sessions-list')).not.toContain('Safari on iPhone');
    expect(await page.locator(`#sessions-list li[data-session-id="${revokedSessionId}"]`).count()).toBe(0);

    // The revoked phone: its sockets close, it cannot call the API, and it shows the sign-in.
    await expect.poll(() => b.sockets.every((s) => s.closed), { timeout: 15_000 }).toBe(true);
    expect(await b.page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    await b.page.locator('#passkey-sign-in').waitFor({ state: 'visible', timeout: 15_000 });
    // This phone carries on.
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);
  });

  it('lists the paired home agent with what it offers, and revokes it', async () => {
    const { page } = a;
    const agent = page.locator('#devices-list li', { hasText: 'test-agent' });
    await agent.waitFor();
    expect(await agent.getAttribute('data-revoked')).toBe('false');
    const facts = await agent.locator('.item-facts').textContent();
    expect(facts).toContain('workspaces: demo');
    expect(facts).toMatch(/backends: .*shell/);
    expect(facts).toMatch(/last seen /);
    await page.locator('#agent-presence[data-online="true"]').waitFor({ timeout: 30_000 });

    await agent.getByRole('button', { name: 'Revoke the home agent test-agent', exact: true }).tap();
    expect(await agent.locator('.confirm p').textContent()).toMatch(/its running tasks end/);
    await showSection(page, '#devices');
    await page.screenshot({ path: screenshotPath('settings-devices') });
    await agent.getByRole('button', { name: 'Yes, revoke the home agent test-agent', exact: true }).tap();
    await page.locator('#devices-list li[data-revoked="true"]', { hasText: 'test-agent' }).waitFor();
    expect(await agent.locator('.badge').textContent()).toBe('Revoked');
    expect(await agent.getByRole('button').count()).toBe(0);
    // The room closed the agent's socket: the phone sees it go offline.
    await page.locator('#agent-presence[data-online="false"]').waitFor({ timeout: 15_000 });
  });

  it('adds a passkey on another authenticator, renames it, removes it after the passkey check the Worker asks for, and keeps the last one', async () => {
    const { page, cdp } = a;
    const list = '#passkeys-list';
    await expect.poll(() => titles(page, list)).toEqual(['Software passkey', 'Android passkey', 'iPhone passkey']);
    expect(await page.locator(`${list} li[data-current="true"] .badge`).textContent()).toBe('This phone’s');

    // A security key: this phone's own authenticator already holds the owner's passkey (excluded), so swap it out.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: a.authenticatorId });
    const key = await addAuthenticator(cdp, 'usb');
    await passkeyVerifiedAt(a, Date.now());
    await page.fill('#new-passkey-name', 'Security key');
    await page.getByRole('button', { name: 'Add a passkey', exact: true }).tap();
    await page.locator('#passkeys-status').getByText('Added “Security key”.').waitFor();
    await expect.poll(() => titles(page, list)).toEqual(['Software passkey', 'Android passkey', 'iPhone passkey', 'Security key']);
    const [credential] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: key })).credentials;
    expect(credential).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
    await showSection(page, '#passkeys');
    await page.screenshot({ path: screenshotPath('settings-passkeys') });

    const added = page.locator(`${list} li`, { hasText: 'Security key' });
    await added.getByRole('button', { name: 'Rename the passkey Security key', exact: true }).tap();
    await added.getByRole('textbox', { name: 'New name for the passkey Security key' }).fill('YubiKey');
    await added.getByRole('button', { name: 'Save', exact: true }).tap();
    await expect.poll(() => titles(page, list)).toEqual(['Software passkey', 'Android passkey', 'iPhone passkey', 'YubiKey']);

    // Ten minutes since the last passkey check: removing needs a new one, which the page runs and then retries.
    await passkeyVerifiedAt(a, Date.now() - 10 * 60_000);
    const remove = async (name: string) => {
      const item = page.locator(`${list} li`, { hasText: name });
      await item.getByRole('button', { name: `Remove the passkey ${name}`, exact: true }).tap();
      await item.getByRole('button', { name: `Yes, remove the passkey ${name}`, exact: true }).tap();
    };
    await remove('YubiKey');
    await page.locator('#passkeys-status').getByText('Removed “YubiKey”.').waitFor();
    await expect.poll(() => titles(page, list)).toEqual(['Software passkey', 'Android passkey', 'iPhone passkey']);
    const [used] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: key })).credentials;
    expect(used!.signCount).toBeGreaterThan(credential!.signCount);

    // Down to this phone's passkey, the last one: the Worker refuses, and the page says why.
    await remove('iPhone passkey');
    await page.locator('#passkeys-status').getByText('Removed “iPhone passkey”.').waitFor();
    await remove('Software passkey');
    await page.locator('#passkeys-status').getByText('Removed “Software passkey”.').waitFor();
    await remove('Android passkey');
    await page.locator('#passkeys-error').getByText(/only passkey/).waitFor();
    expect(await titles(page, list)).toEqual(['Android passkey']);
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);
  });

  it('shows the activity log newest first, naming who did what, with the chain intact', async () => {
    const { page } = a;
    await page.getByRole('link', { name: 'Activity', exact: true }).tap();
    const chain = page.locator('#audit-chain[data-state="intact"]');
    await chain.waitFor();
    const entries = page.locator('#audit-list li');
    await expect.poll(async () => (await page.locator('#audit-list li').allTextContents()).join('\n')).toContain('Passkey removed');
    expect(await page.locator('#audit-older').isHidden()).toBe(true);
    // Every entry is on this first page, so the chain's length is the list's.
    expect(await chain.textContent()).toBe(`Chain intact: ${await entries.count()} entries`);
    const seqs = await entries.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(seqs.at(-1)).toBe(1);

    const actions = await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-action')));
    expect(actions.filter((x) => x === 'sign-in').length).toBeGreaterThanOrEqual(3);
    for (const action of ['device-paired', 'session-revoked', 'device-revoked', 'passkey-registered', 'passkey-reverified', 'passkey-removed']) {
      expect(actions).toContain(action);
    }
    const line = async (action: string) => page.locator(`#audit-list li[data-action="${action}"]`).first().textContent();
    // The revocation names the other phone's session; its own sign-in names it as the actor, from Safari on iPhone.
    const short = revokedSessionId.slice(0, 8);
    expect(await line('session-revoked')).toMatch(new RegExp(`^Session ${short} revoked#\\d+.*by this phonefrom .*Chrome on Android$`));
    const theirSignIn = page.locator('#audit-list li[data-action="sign-in"]', { hasText: `by session ${short}` });
    expect(await theirSignIn.textContent()).toMatch(/Safari on iPhone$/);
    expect(await line('device-revoked')).toMatch(/Home agent “test-agent” revoked.*by this phone/);
    expect(await line('device-paired')).toMatch(/Home agent “test-agent” paired.*by home agent “test-agent”/);
    expect(await line('passkey-registered')).toMatch(/Passkey “Security key” added/);
    await showSection(page, '#audit');
    await page.screenshot({ path: screenshotPath('settings-activity') });
  });
});
