// The app shell: precache it on install under a cache named for this build, drop older builds' caches on activate,
// answer page loads and shell assets (shell-route.ts decides which), and activate on the page's 'skip-waiting'.
// Never skips waiting by itself (the page's update banner decides) and never caches the API.
import { z } from 'zod';
import { shellRoute } from './shell-route.ts';

/** Injected by scripts/build-web.ts (esbuild `define`): a hash of the app's files, and the shell's URLs (path + query). */
declare const __HEARTH_SHELL_VERSION__: string;
declare const __HEARTH_SHELL_ASSETS__: readonly string[];

/** Every Hearth shell cache starts with this; only these are ever deleted. */
const CACHE_PREFIX = 'hearth-shell-';
/** How long a page load waits for the network before the cached shell is shown instead, in ms (a train's lie-fi). */
export const NAVIGATION_TIMEOUT_MS = 4_000;

/** The one message the page sends: the user tapped Reload on the update banner (web/app-update.ts). */
const SkipWaiting = z.object({ type: z.literal('skip-waiting') });

/** The page load: network first; the cached shell (`/`) when the network fails or is slower than the timeout. */
async function navigation(request: Request, cache: () => Promise<Cache>): Promise<Response> {
  const network = fetch(request);
  network.catch(() => undefined); // when the timeout wins, a later network failure is expected, not an error
  const cachedShell = async (): Promise<Response | undefined> => (await cache()).match('/');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([network, late]);
    if (first !== 'late') return first;
    return (await cachedShell()) ?? (await network);
  } catch {
    return (await cachedShell()) ?? Response.error();
  } finally {
    clearTimeout(timer);
  }
}

/** A shell asset: this build's cached copy, else the network (not stored: the cache holds exactly one build). */
async function shellAsset(request: Request, cache: () => Promise<Cache>): Promise<Response> {
  return (await (await cache()).match(request, { ignoreVary: true })) ?? fetch(request);
}

/** Register the install/activate/fetch/message handlers on `sw`. */
export function installAppShell(sw: ServiceWorkerGlobalScope): void {
  const cacheName = `${CACHE_PREFIX}${__HEARTH_SHELL_VERSION__}`;
  const shell = new Set(__HEARTH_SHELL_ASSETS__);
  const cache = (): Promise<Cache> => sw.caches.open(cacheName);

  sw.addEventListener('install', (event) => {
    // `reload` skips the HTTP cache so the shell is this build's; one failed asset fails the install (old SW stays).
    event.waitUntil(cache().then((c) => c.addAll([...shell].map((url) => new Request(url, { cache: 'reload' })))));
  });

  sw.addEventListener('activate', (event) => {
    const dropOld = async (): Promise<void> => {
      const names = await sw.caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== cacheName).map((n) => sw.caches.delete(n)));
      // The first install takes over open pages at once, so the shell works offline without a reload.
      await sw.clients.claim();
    };
    event.waitUntil(dropOld());
  });

  sw.addEventListener('fetch', (event) => {
    const route = shellRoute(event.request, sw.location.origin, shell);
    if (route === 'navigation') event.respondWith(navigation(event.request, cache));
    else if (route === 'shell') event.respondWith(shellAsset(event.request, cache));
  });

  sw.addEventListener('message', (event) => {
    if (SkipWaiting.safeParse(event.data).success) event.waitUntil(sw.skipWaiting());
  });
}
