// Security headers on every response the Worker sends — the phone app's pages and static assets (run_worker_first),
// the API and error responses alike (issue 4). Pure header values plus the middleware that sets them.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { parseEnv } from './env.ts';

/** HSTS lifetime: two years, in seconds (≥ 1 year is required for browser preload lists). */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;

/**
 * Features a page could ask for: the microphone and camera only for the app itself (voice or photo input later),
 * everything else off for everyone. Only features Chromium knows, so the console stays quiet.
 */
const PERMISSIONS_POLICY = [
  'microphone=(self)',
  'camera=(self)',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'midi=()',
  'display-capture=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
].join(', ');

/**
 * The CSP. No inline script or style anywhere (web/index.html loads /app.js and /styles.css only); connections go to
 * the app itself and to the PartyKit room at `partykitOrigin` (`http(s)://host[:port]`, also as `ws(s)://`), or to
 * the app alone when the config could not be read. The installable app's manifest and service worker (/sw.js) come
 * from the app only; images also from `data:` and `blob:` URLs (previews of a photo before it is attached).
 */
export function contentSecurityPolicy(partykitOrigin: string | null): string {
  const room = partykitOrigin === null ? [] : [partykitOrigin, partykitOrigin.replace(/^http/, 'ws')];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    ['connect-src', "'self'", ...room].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "manifest-src 'self'",
    "worker-src 'self'",
  ].join('; ');
}

/** Local development: plain http, or a loopback host name (no HSTS there: it would stick to localhost for years). */
const isLocal = (url: URL): boolean =>
  url.protocol !== 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';

/** Every security header for a response to `url`. HSTS only on https outside localhost / 127.0.0.1. */
export function securityHeaderValues(url: URL, partykitOrigin: string | null): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(partykitOrigin),
    'referrer-policy': 'no-referrer',
    'permissions-policy': PERMISSIONS_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    ...(isLocal(url) ? {} : { 'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains` }),
  };
}

/**
 * Middleware for every path, registered first: sets the headers on whatever response comes back, errors included.
 * The response's headers must be mutable (the static-asset route copies the ASSETS response for that).
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const parsed = c.var.config === undefined ? parseEnv(c.env) : { ok: true as const, config: c.var.config };
  const values = securityHeaderValues(new URL(c.req.url), parsed.ok ? parsed.config.partykitOrigin : null);
  for (const [name, value] of Object.entries(values)) c.res.headers.set(name, value);
};
