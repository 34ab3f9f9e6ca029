// Security headers on every response of the real Worker (wrangler dev → workerd): the app's pages, the SPA fallback,
// static assets, API answers and errors alike; the CSP names the PartyKit host from the Worker's config; no HSTS on
// http://127.0.0.1 (local development). The served page has no inline script or style for the CSP to block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../support/stack.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';

const ROOM_HOST = '127.0.0.1:45999';

describe('security headers', () => {
  let worker: RunningWorker;

  beforeAll(async () => {
    await buildWeb();
    worker = await startWorker({ partykitHost: ROOM_HOST });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  const expected = {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      `connect-src 'self' http://${ROOM_HOST} ws://${ROOM_HOST}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "object-src 'none'",
      "manifest-src 'self'",
      "worker-src 'self'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };

  it('are on pages, the SPA fallback, static assets, API answers and errors', async () => {
    const requests: Array<[string, RequestInit, number, string]> = [
      ['/', {}, 200, 'text/html'],
      ['/pair?user_code=BCDF-GHJK', {}, 200, 'text/html'],
      ['/no/such/page', {}, 200, 'text/html'],
      ['/app.js', {}, 200, 'text/javascript'],
      ['/styles.css', {}, 200, 'text/css'],
      ['/api/me', {}, 401, 'application/problem+json'],
      ['/api/no-such-route', {}, 404, 'application/problem+json'],
      ['/api/device/code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"hearth-agent"}' }, 200, 'application/json'],
      ['/api/device/code', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415, 'application/problem+json'],
      ['/api/tasks', { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' }, 403, 'application/problem+json'],
    ];
    for (const [path, init, status, type] of requests) {
      const res = await fetch(`${worker.url}${path}`, init);
      await res.body?.cancel();
      const got = Object.fromEntries(Object.keys(expected).map((name) => [name, res.headers.get(name)]));
      expect({ path, status: res.status, type: res.headers.get('content-type')?.split(';')[0], ...got }).toEqual({ path, status, type, ...expected });
      const policy = res.headers.get('permissions-policy') ?? '';
      expect(policy.split(', ')).toEqual(expect.arrayContaining(['microphone=(self)', 'camera=(self)', 'geolocation=()']));
      expect(res.headers.get('strict-transport-security'), `${path}: no HSTS on http://127.0.0.1`).toBeNull();
    }
  });

  it('serve a page with no inline script, inline style or event handler for the CSP to block', async () => {
    const html = await (await fetch(`${worker.url}/`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/[^"]+"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
  });
});
