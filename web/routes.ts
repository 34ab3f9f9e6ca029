// The app's places and how they map to URL paths. Pure: parses and formats, never touches history.
import { TaskId, UserCode } from '../protocol/index.ts';

/** Where the phone is: the home list, one task, the pairing page (with a code from the link, if any), or settings. */
export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'task'; readonly taskId: string }
  | { readonly kind: 'pair'; readonly userCode: string }
  | { readonly kind: 'settings' };

/**
 * Read a route from `pathname` and `search`. `/tasks/<uuid>` opens a task, `/pair?user_code=…` the pairing page
 * (the code normalised to 8 letters when valid, else kept as typed for the user to fix), `/settings` the settings
 * page (its sections are fragments: #sessions, #passkeys, #devices, #audit); anything else is home.
 */
export function parseRoute(pathname: string, search: string): Route {
  const task = /^\/tasks\/([^/]+)\/?$/.exec(pathname);
  if (task?.[1]) {
    const id = TaskId.safeParse(decodeURIComponent(task[1]).toLowerCase());
    return id.success ? { kind: 'task', taskId: id.data } : { kind: 'home' };
  }
  if (/^\/pair\/?$/.test(pathname)) {
    const raw = (new URLSearchParams(search).get('user_code') ?? '').slice(0, 32);
    const code = UserCode.safeParse(raw);
    return { kind: 'pair', userCode: code.success ? formatUserCode(code.data) : raw };
  }
  if (/^\/settings\/?$/.test(pathname)) return { kind: 'settings' };
  return { kind: 'home' };
}

/** The path (with query) for a route, for history.pushState. */
export function routePath(route: Route): string {
  if (route.kind === 'task') return `/tasks/${encodeURIComponent(route.taskId)}`;
  if (route.kind === 'pair') return route.userCode ? `/pair?user_code=${encodeURIComponent(route.userCode)}` : '/pair';
  if (route.kind === 'settings') return '/settings';
  return '/';
}

/** Show an 8-letter user code as XXXX-XXXX (RFC 8628 §6.1); other input is returned unchanged. */
export function formatUserCode(code: string): string {
  return /^[A-Z]{8}$/.test(code) ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** The setup token from a `#setup=<token>` fragment (a one-time setup link), or null when the fragment is something else. */
export function setupTokenFromHash(hash: string): string | null {
  const match = /^#setup=([A-Za-z0-9_-]{32,128})$/.exec(hash);
  return match?.[1] ?? null;
}
