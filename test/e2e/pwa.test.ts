// The installable app (issue 5), on the real stack in headless Chromium at 390×844 with touch: Chromium reads the
// manifest with no error and finds the page installable; every icon is the PNG its manifest entry declares; the
// service worker controls the page, which reloads offline into the cached shell with a calm offline state; and a new
// sw.js waits until the banner's Reload is tapped, then takes over and the page reloads once.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startStack, type Stack } from '../support/stack.ts';
import { CHROMIUM, CHROMIUM_ARGS, PHONE, screenshotPath } from '../support/browser.ts';
import { OFFLINE_NOTE, OFFLINE_START } from '../../web/offline-state.ts';

let stack: Stack;
let profile: string;
let context: BrowserContext;
let page: Page;

const ManifestIcon = z.object({ src: z.string(), sizes: z.string(), type: z.string(), purpose: z.string().optional() });
const Manifest = z.object({
  id: z.string(),
  name: z.string(),
  short_name: z.string(),
  start_url: z.string(),
  scope: z.string(),
  display: z.string(),
  background_color: z.string(),
  theme_color: z.string(),
  icons: z.array(ManifestIcon),
});
/** What CDP Page.getAppManifest and Page.getInstallabilityErrors answer (the parts read here). */
const AppManifest = z.object({ url: z.string(), errors: z.array(z.object({ message: z.string(), critical: z.number() })) });
const Installability = z.object({ installabilityErrors: z.array(z.object({ errorId: z.string() })) });

beforeAll(async () => {
  stack = await startStack();
  // A profile on disk, as a phone has: Chromium never offers to install from an incognito context (which
  // browser.newContext() is: installability error `in-incognito`). Same flags and phone as test/support/browser.ts.
  profile = mkdtempSync(join(tmpdir(), 'hearth-pwa-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    ...PHONE,
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Width and height of a PNG from its IHDR chunk; throws when `bytes` is not a PNG. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** GET `path` from the Worker: its content type and the PNG's size. */
async function icon(path: string): Promise<{ type: string | null; size: string }> {
  const res = await fetch(`${stack.origin}${path}`);
  expect(res.status, path).toBe(200);
  const { width, height } = pngSize(new Uint8Array(await res.arrayBuffer()));
  return { type: res.headers.get('content-type'), size: `${width}x${height}` };
}

/** The service worker's registration, seen from the page: script URLs of its active and waiting workers. */
const registration = () =>
  page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration('/');
    return {
      active: r?.active?.scriptURL ?? null,
      activeState: r?.active?.state ?? null,
      waiting: r?.waiting?.scriptURL ?? null,
      controlled: navigator.serviceWorker.controller !== null,
      caches: await caches.keys(),
    };
  });

test('the manifest parses with no error, the page is installable, and every icon is the PNG it claims', async () => {
  await stack.signInPage(page);
  await page.locator('#home').waitFor();
  await page.evaluate(() => ((window as { firstLoad?: boolean }).firstLoad = true));
  // The first install takes over the open page (clients.claim) without reloading it: nothing typed is lost.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  expect(await page.evaluate(() => (window as { firstLoad?: boolean }).firstLoad)).toBe(true);

  const cdp = await context.newCDPSession(page);
  const manifest = AppManifest.parse(await cdp.send('Page.getAppManifest', {}));
  expect(manifest.url).toBe(`${stack.origin}/manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
  const installability = Installability.parse(await cdp.send('Page.getInstallabilityErrors'));
  expect(installability.installabilityErrors).toEqual([]);
  await cdp.detach(); // an attached session keeps the page online through context.setOffline (seen in Chromium 156)

  const res = await fetch(`${stack.origin}/manifest.webmanifest`);
  expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
  const data = Manifest.parse(await res.json());
  expect(data).toMatchObject({ id: '/', name: 'Hearth', short_name: 'Hearth', start_url: '/', scope: '/', display: 'standalone' });
  expect(data.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(data.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const purposes = (p: string) => data.icons.filter((i) => (i.purpose ?? 'any').split(' ').includes(p)).map((i) => i.sizes);
  expect(purposes('any')).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(purposes('maskable')).toContain('512x512');
  for (const declared of data.icons) {
    expect(await icon(declared.src), declared.src).toEqual({ type: 'image/png', size: declared.sizes });
  }

  // iOS Safari reads the page's head, not the manifest, for "Add to Home Screen".
  const appleIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  expect(await icon(appleIcon ?? '(missing)')).toEqual({ type: 'image/png', size: '180x180' });
  expect(await page.locator('meta[name="apple-mobile-web-app-capable"]').getAttribute('content')).toBe('yes');
  const themes = await page.locator('meta[name="theme-color"]').evaluateAll((metas) => metas.map((m) => m.getAttribute('media')));
  expect(themes.sort()).toEqual(['(prefers-color-scheme: dark)', '(prefers-color-scheme: light)']);
  // The notification icons the push helpers use (one per status, and the monochrome badge).
  for (const name of ['queued', 'thinking', 'running', 'waiting', 'succeeded', 'failed'].map((s) => `status-${s}`).concat('badge')) {
    expect(await icon(`/icons/${name}.png`), name).toEqual({ type: 'image/png', size: '96x96' });
  }
});

test('the service worker controls the page, leaves the API alone, and an offline reload shows the shell calmly', async () => {
  expect(await registration()).toMatchObject({ active: `${stack.origin}/sw.js`, activeState: 'activated', waiting: null, controlled: true });

  const me = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me');
  const online = await page.reload();
  expect(online?.fromServiceWorker()).toBe(true); // network first, through the worker
  expect((await me).fromServiceWorker()).toBe(false);
  await page.locator('#home').waitFor();

  await context.setOffline(true);
  const offline = await page.reload();
  expect(offline?.status()).toBe(200);
  expect(offline?.fromServiceWorker()).toBe(true);
  await expect.poll(() => page.locator('#signed-out-message').textContent()).toBe(OFFLINE_START);
  expect(await page.locator('#offline-note').isVisible()).toBe(true);
  expect(await page.locator('#offline-note').textContent()).toBe(OFFLINE_NOTE);
  expect(await page.locator('#app-error').isHidden()).toBe(true);
  // The cached stylesheet applies: the panel has its own background, not the browser's transparent default.
  expect(await page.locator('#signed-out').evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
  await page.screenshot({ path: screenshotPath('pwa-offline') });

  // Back online, the app starts over by itself and signs in.
  const back = page.waitForEvent('load');
  await context.setOffline(false);
  await back;
  await page.locator('#home').waitFor();
  expect(await page.locator('#offline-note').isHidden()).toBe(true);
});

/** Headers for the Worker: uncompressed (sw.js is edited as text) and unconditional (a 304 would hide the edit). */
function plainRequest(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { 'if-none-match': _etag, 'if-modified-since': _since, ...kept } = headers;
  return { ...kept, 'accept-encoding': 'identity' };
}

/**
 * A deploy seen by one browser origin only: a proxy on its own port in front of the Worker that passes everything
 * through, except that once `deploy(from, to)` ran its sw.js has `from` replaced by `to` (another build version, so
 * another cache). web/dist stays as it is, so other test files sharing it see no change. (Playwright's routing does
 * not see the browser's own fetch of a service worker script, so it cannot serve the new sw.js.)
 */
async function deployProxy(target: string): Promise<{ origin: string; deploy(from: string, to: string): void; close(): Promise<void> }> {
  let swap: [string, string] | null = null;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: plainRequest(req.headers) },
      (answer) => {
        if (swap === null || req.url !== '/sw.js' || answer.statusCode !== 200) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const [from, to] = swap ?? ['', ''];
          const body = Buffer.concat(chunks).toString('utf8').replaceAll(from, to);
          const { 'transfer-encoding': _chunked, etag: _etag, ...kept } = answer.headers;
          const headers = { ...kept, 'content-length': String(Buffer.byteLength(body)) };
          res.writeHead(200, headers).end(body);
        });
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    deploy: (from, to) => void (swap = [from, to]),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('a new sw.js waits for the Reload tap, then takes over, drops the old cache and reloads the page once', async () => {
  const proxy = await deployProxy(stack.origin);
  try {
    // The session cookie is the same: cookies belong to the host (127.0.0.1), not its port.
    await page.goto(proxy.origin);
    await page.locator('#home').waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const before = await registration();
    const version = (await page.locator('script[src^="/app.js"]').getAttribute('src'))?.split('?v=')[1] ?? '';
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(before.caches).toEqual([`hearth-shell-${version}`]);

    const next = 'f'.repeat(16);
    proxy.deploy(version, next);
    // The page checks for a new version when it becomes visible again.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const reload = page.getByRole('button', { name: 'Reload' });
    await reload.waitFor();
    expect(await page.locator('#app-update').textContent()).toContain('A new version of Hearth is ready');
    const waiting = await registration();
    expect(waiting.waiting).toBe(`${proxy.origin}/sw.js`); // installed, not activated: the tap decides
    expect(waiting.caches.sort()).toEqual([`hearth-shell-${next}`, `hearth-shell-${version}`].sort());
    await page.screenshot({ path: screenshotPath('pwa-update') });

    let loads = 0;
    page.on('load', () => (loads += 1));
    const reloaded = page.waitForEvent('load');
    await reload.tap();
    await reloaded;
    await page.locator('#home').waitFor();
    expect(await page.locator('#app-update').isHidden()).toBe(true);
    const after = await registration();
    expect(after).toMatchObject({ waiting: null, activeState: 'activated', controlled: true, caches: [`hearth-shell-${next}`] });
    await page.waitForTimeout(1_000); // a second reload would come at once
    expect(loads).toBe(1);
  } finally {
    await proxy.close();
  }
});
