// Which requests the service worker answers, and how: a pure decision from the request's method, URL and mode.
// The API (/api/*), other origins (the room's WebSocket, push services) and non-GET requests are never touched.

/** `navigation`: network first, the cached shell when offline; `shell`: from the versioned cache; `pass`: not handled. */
export type ShellRoute = 'navigation' | 'shell' | 'pass';

/** What the decision looks at (a Request has all three). */
export type RouteInput = { method: string; url: string; mode: RequestMode };

const isApi = (pathname: string): boolean => pathname === '/api' || pathname.startsWith('/api/');

/**
 * Decide how to answer `request` for the app at `origin` (`https://host[:port]`), given the precached `shell`
 * paths (pathname + search, e.g. `/app.js?v=3f2a…`). The rule (issue 5): never cache or intercept the API or
 * anything cross-origin; page loads go to the network first; the shell's own assets come from its cache.
 */
export function shellRoute(request: RouteInput, origin: string, shell: ReadonlySet<string>): ShellRoute {
  if (request.method !== 'GET') return 'pass';
  const url = new URL(request.url);
  if (url.origin !== origin || isApi(url.pathname)) return 'pass';
  if (request.mode === 'navigate') return 'navigation';
  return shell.has(url.pathname + url.search) ? 'shell' : 'pass';
}
