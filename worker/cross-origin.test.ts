import { describe, expect, it } from 'vitest';
import { judgeCrossOrigin, type CrossOriginRequest } from './cross-origin.ts';

const APP = 'https://hearth.example.com';
const base: CrossOriginRequest = { method: 'POST', origin: APP, hasCookie: true, contentType: 'application/json', hasBody: true, appOrigins: [APP] };
const judge = (over: Partial<CrossOriginRequest>) => judgeCrossOrigin({ ...base, ...over });

describe('judgeCrossOrigin', () => {
  it("passes the app's own JSON writes and every read", () => {
    expect(judge({})).toBe('ok');
    expect(judge({ contentType: 'application/json; charset=utf-8' })).toBe('ok');
    expect(judge({ contentType: 'application/merge-patch+json', method: 'PATCH' })).toBe('ok');
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(judge({ method, origin: 'https://evil.example', contentType: undefined })).toBe('ok');
  });

  it('refuses a foreign Origin first, whatever the body type', () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/json', undefined]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        expect(judge({ method, contentType, origin: 'https://evil.example' }), `${method} ${contentType}`).toBe('foreign-origin');
        expect(judge({ method, contentType, origin: 'null', hasCookie: false }), `${method} ${contentType}`).toBe('foreign-origin');
      }
    }
    expect(judge({ origin: 'http://hearth.example.com' })).toBe('foreign-origin');
    expect(judge({ origin: 'https://hearth.example.com:8443' })).toBe('foreign-origin');
  });

  it('refuses a cookie-carrying write without Origin, and lets cookieless clients (agents, the device flow) through', () => {
    expect(judge({ origin: undefined })).toBe('missing-origin');
    expect(judge({ origin: undefined, method: 'DELETE', hasBody: false })).toBe('missing-origin');
    expect(judge({ origin: undefined, hasCookie: false })).toBe('ok');
  });

  it('needs JSON on POST, PUT and PATCH even without a body; on DELETE only when it has one', () => {
    for (const method of ['POST', 'PUT', 'PATCH']) {
      expect(judge({ method, contentType: 'text/plain' })).toBe('not-json');
      expect(judge({ method, contentType: undefined, hasBody: false })).toBe('not-json');
      expect(judge({ method, contentType: undefined, hasBody: false, origin: undefined, hasCookie: false })).toBe('not-json');
    }
    expect(judge({ method: 'DELETE', contentType: undefined, hasBody: false })).toBe('ok');
    expect(judge({ method: 'DELETE', contentType: 'text/plain', hasBody: true })).toBe('not-json');
  });

  it('accepts APP_ORIGIN as well as the request URL origin', () => {
    expect(judge({ origin: 'http://localhost:8787', appOrigins: ['http://127.0.0.1:8787', 'http://localhost:8787'] })).toBe('ok');
  });
});
