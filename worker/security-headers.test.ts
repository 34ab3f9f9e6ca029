import { describe, expect, it } from 'vitest';
import { HSTS_MAX_AGE_SECONDS, contentSecurityPolicy, securityHeaderValues } from './security-headers.ts';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('security headers', () => {
  it('allow no inline script or style, no framing, and connections only to the app and its PartyKit room', () => {
    const csp = directives(contentSecurityPolicy('https://hearth.alice.partykit.dev'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    // The installable app (issue 5): its manifest and service worker from the app only; image previews from data/blob URLs.
    expect(csp.get('manifest-src')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://hearth.alice.partykit.dev', 'wss://hearth.alice.partykit.dev']);
    expect(directives(contentSecurityPolicy('http://127.0.0.1:1999')).get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:1999', 'ws://127.0.0.1:1999']);
    expect(directives(contentSecurityPolicy(null)).get('connect-src')).toEqual(["'self'"]);
    expect([...csp.values()].flat().some((v) => /unsafe|\*/.test(v))).toBe(false);
  });

  it('send HSTS on https outside local development only', () => {
    const hsts = (url: string) => securityHeaderValues(new URL(url), null)['strict-transport-security'];
    expect(hsts('https://hearth.example.com/')).toBe(`max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`);
    expect(HSTS_MAX_AGE_SECONDS).toBeGreaterThanOrEqual(365 * 24 * 3600);
    for (const local of ['http://hearth.example.com/', 'http://127.0.0.1:8787/', 'https://localhost:8787/', 'https://127.0.0.1/', 'https://[::1]/']) {
      expect(hsts(local), local).toBeUndefined();
    }
  });

  it('let only the app itself use the microphone and camera, and turn off the rest', () => {
    const h = securityHeaderValues(new URL('https://hearth.example.com/'), null);
    const policy = new Map(h['permissions-policy']!.split(', ').map((p) => p.split('=') as [string, string]));
    expect(policy.get('microphone')).toBe('(self)');
    expect(policy.get('camera')).toBe('(self)');
    expect(policy.get('geolocation')).toBe('()');
    expect([...policy].filter(([, v]) => v !== '()').map(([k]) => k).sort()).toEqual(['camera', 'microphone']);
    expect(h).toMatchObject({
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
    });
  });
});
