// Security suite, response headers on the real Worker over local http: the page, a static asset and an API answer
// each carry a CSP whose script-src has no 'unsafe-inline' (nor 'unsafe-eval') and whose frame-ancestors is 'none',
// a Referrer-Policy and a Permissions-Policy (microphone and camera for the app itself only); no HSTS on http.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../support/security-figures.ts';
import { buildWeb } from '../support/stack.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';

let worker: RunningWorker;

beforeAll(async () => {
  await buildWeb();
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
});

/** CSP `a b c; d e` → {a: [b, c], d: [e]}. */
const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));

/** What is wrong with `res`'s security headers (empty when nothing). */
function problems(res: Response): string[] {
  const found: string[] = [];
  const csp = directives(res.headers.get('content-security-policy') ?? '');
  const scripts = csp['script-src'] ?? csp['default-src'];
  if (!scripts) found.push('no script-src');
  else if (scripts.some((s) => ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:'].includes(s))) found.push(`script-src ${scripts.join(' ')}`);
  if (csp['frame-ancestors']?.join(' ') !== "'none'") found.push(`frame-ancestors ${csp['frame-ancestors']?.join(' ') ?? 'missing'}`);
  if (!res.headers.get('referrer-policy')) found.push('no Referrer-Policy');
  const permissions = (res.headers.get('permissions-policy') ?? '').split(',').map((p) => p.trim());
  for (const feature of ['microphone=(self)', 'camera=(self)']) if (!permissions.includes(feature)) found.push(`Permissions-Policy without ${feature}`);
  if (res.headers.has('strict-transport-security')) found.push('HSTS on local http');
  return found;
}

describe('security headers', () => {
  it('are on the page, a static asset and an API answer; no HSTS on local http', async () => {
    const targets: Array<[string, number]> = [['/', 200], ['/app.js', 200], ['/api/me', 401]];
    const wrong: string[] = [];
    for (const [path, status] of targets) {
      const res = await fetch(`${worker.url}${path}`);
      await res.body?.cancel();
      expect(res.status, path).toBe(status);
      wrong.push(...problems(res).map((p) => `${path}: ${p}`));
    }
    recordFigure({
      check: 'security headers on /, /app.js, /api/me',
      attempts: targets.length,
      successes: wrong.length,
      detail: wrong.length ? wrong.join('; ') : "CSP script-src 'self', frame-ancestors 'none', Referrer-Policy, Permissions-Policy; no HSTS on http",
    });
    expect(wrong).toEqual([]);
  });
});
