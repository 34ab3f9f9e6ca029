// Cross-site request protection for /api/* (issue 4), checked before any route or auth: a state-changing request
// must come from the app's own page (matching Origin) and be JSON. Reads headers only; never reads the body.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { isJsonType } from './json-body.ts';
import { ProblemError } from './problem.ts';

/** Methods that change state; GET, HEAD and OPTIONS are never checked. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type CrossOriginVerdict = 'ok' | 'foreign-origin' | 'missing-origin' | 'not-json';

/** What the middleware looks at: the method, the headers that matter, and the origins that count as the app's own. */
export type CrossOriginRequest = {
  method: string;
  origin: string | undefined;
  hasCookie: boolean;
  contentType: string | undefined;
  /** True when the request carries a body (Content-Length > 0 or Transfer-Encoding). */
  hasBody: boolean;
  /** The request URL's own origin, plus APP_ORIGIN when configured. */
  appOrigins: readonly string[];
};

/**
 * Decide a request, in this order:
 * 1. `Origin` present and not one of the app's → `foreign-origin` (whatever the body: form, text or JSON).
 * 2. a Cookie but no `Origin` → `missing-origin` (browsers send Origin on every non-GET fetch and form POST, so a
 *    cookie-carrying write without one did not come from the app's page).
 * 3. POST, PUT and PATCH must declare `application/json` (or `+json`), even with an empty body, so no HTML form or
 *    CORS-simple request can reach a route; a DELETE only when it carries a body → else `not-json`.
 * Requests without Origin and without cookies (agents, the RFC 8628 device flow from the CLI) pass rule 2.
 */
export function judgeCrossOrigin(r: CrossOriginRequest): CrossOriginVerdict {
  if (!STATE_CHANGING.has(r.method)) return 'ok';
  if (r.origin !== undefined && !r.appOrigins.includes(r.origin)) return 'foreign-origin';
  if (r.origin === undefined && r.hasCookie) return 'missing-origin';
  const needsJson = r.method !== 'DELETE' || r.hasBody;
  if (needsJson && !isJsonType(r.contentType)) return 'not-json';
  return 'ok';
}

const hasBody = (headers: Headers): boolean =>
  Number(headers.get('content-length') ?? '0') > 0 || headers.has('transfer-encoding');

/** Middleware for /api/*, after config is parsed: 403 `forbidden` or 415 `unsupported-media-type` per judgeCrossOrigin. */
export const crossOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const headers = c.req.raw.headers;
  const own = new URL(c.req.url).origin;
  const appOrigin = c.var.config.appOrigin;
  const verdict = judgeCrossOrigin({
    method: c.req.method,
    origin: headers.get('origin') ?? undefined,
    hasCookie: headers.has('cookie'),
    contentType: headers.get('content-type') ?? undefined,
    hasBody: hasBody(headers),
    appOrigins: appOrigin === null || appOrigin === own ? [own] : [own, appOrigin],
  });
  switch (verdict) {
    case 'foreign-origin':
      throw new ProblemError(403, 'forbidden', { detail: 'cross-origin request' });
    case 'missing-origin':
      throw new ProblemError(403, 'forbidden', { detail: 'a signed-in write must carry the Origin header of the app' });
    case 'not-json':
      throw new ProblemError(415, 'unsupported-media-type');
    case 'ok':
      await next();
  }
};
