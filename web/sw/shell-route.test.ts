import { describe, expect, it } from 'vitest';
import { shellRoute, type RouteInput } from './shell-route.ts';

const origin = 'https://hearth.example.com';
const shell = new Set(['/', '/app.js?v=abc123', '/styles.css?v=abc123', '/manifest.webmanifest', '/icons/icon-192.png']);
const get = (url: string, mode: RequestMode = 'no-cors'): RouteInput => ({ method: 'GET', url, mode });

describe('shellRoute', () => {
  it.each([
    ['a page load', get(`${origin}/`, 'navigate'), 'navigation'],
    ['a deep link (the SPA serves index.html)', get(`${origin}/tasks/t_1`, 'navigate'), 'navigation'],
    ['the versioned bundle', get(`${origin}/app.js?v=abc123`, 'cors'), 'shell'],
    ['the stylesheet', get(`${origin}/styles.css?v=abc123`), 'shell'],
    ['the manifest', get(`${origin}/manifest.webmanifest`, 'cors'), 'shell'],
    ['an icon', get(`${origin}/icons/icon-192.png`), 'shell'],
    ['another build of the bundle', get(`${origin}/app.js?v=old999`, 'cors'), 'pass'],
    ['the bundle without a version', get(`${origin}/app.js`, 'cors'), 'pass'],
    ['a source map', get(`${origin}/app.js.map`, 'cors'), 'pass'],
    ['the service worker script', get(`${origin}/sw.js`), 'pass'],
  ] as const)('%s → %s', (_what, request, expected) => {
    expect(shellRoute(request, origin, shell)).toBe(expected);
  });

  it.each([
    ['an API read', get(`${origin}/api/tasks`, 'cors')],
    ['the API root', get(`${origin}/api`, 'cors')],
    ['a navigation to the API', get(`${origin}/api/me`, 'navigate')],
    ['a write', { method: 'POST', url: `${origin}/api/tasks`, mode: 'cors' }],
    ['a write to a shell path', { method: 'POST', url: `${origin}/`, mode: 'cors' }],
    ['a HEAD request', { method: 'HEAD', url: `${origin}/app.js?v=abc123`, mode: 'cors' }],
    ['the room (another origin)', get('https://hearth.alice.partykit.dev/parties/main/u_1', 'cors')],
    ['a look-alike origin', get('https://hearth.example.com.evil.test/', 'navigate')],
    ['the same host on another port', get('https://hearth.example.com:8443/app.js?v=abc123', 'cors')],
    ['a push service', { method: 'POST', url: 'https://fcm.googleapis.com/fcm/send/x', mode: 'cors' }],
  ] as const)('never touches %s', (_what, request) => {
    expect(shellRoute(request, origin, shell)).toBe('pass');
  });

  it('does not mistake a path that only starts with "api" for the API', () => {
    expect(shellRoute(get(`${origin}/apiary`, 'navigate'), origin, shell)).toBe('navigation');
  });
});
