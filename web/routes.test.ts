// Table tests for routes: deep links, pairing links, and the setup-link fragment.
import { describe, expect, it } from 'vitest';
import { formatUserCode, parseRoute, routePath, setupTokenFromHash, type Route } from './routes.ts';

const ID = '6f1c2a7e-3b4d-4c5e-8f90-123456789abc';

describe('parseRoute', () => {
  it.each<[string, string, Route]>([
    ['/', '', { kind: 'home' }],
    [`/tasks/${ID}`, '', { kind: 'task', taskId: ID }],
    [`/tasks/${ID}/`, '', { kind: 'task', taskId: ID }],
    [`/tasks/${ID.toUpperCase()}`, '', { kind: 'task', taskId: ID }],
    ['/tasks/not-a-uuid', '', { kind: 'home' }],
    ['/tasks/%3Cscript%3E', '', { kind: 'home' }],
    [`/tasks/${ID}/extra`, '', { kind: 'home' }],
    ['/pair', '', { kind: 'pair', userCode: '' }],
    ['/pair', '?user_code=BCDF-GHJK', { kind: 'pair', userCode: 'BCDF-GHJK' }],
    ['/pair', '?user_code=bcdfghjk', { kind: 'pair', userCode: 'BCDF-GHJK' }],
    ['/pair', '?user_code=AEIO', { kind: 'pair', userCode: 'AEIO' }],
    ['/settings', '', { kind: 'settings' }],
    ['/settings/', '?x=1', { kind: 'settings' }],
    ['/settings/sessions', '', { kind: 'home' }],
    ['/somewhere/else', '', { kind: 'home' }],
  ])('%s%s', (pathname, search, expected) => {
    expect(parseRoute(pathname, search)).toEqual(expected);
  });

  it('round-trips through routePath', () => {
    const routes: Route[] = [
      { kind: 'home' },
      { kind: 'task', taskId: ID },
      { kind: 'pair', userCode: 'BCDF-GHJK' },
      { kind: 'pair', userCode: '' },
      { kind: 'settings' },
    ];
    for (const route of routes) {
      const url = new URL(routePath(route), 'https://hearth.example');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });
});

describe('formatUserCode', () => {
  it.each([
    ['BCDFGHJK', 'BCDF-GHJK'],
    ['BCDF', 'BCDF'],
    ['', ''],
  ])('%s → %s', (input, expected) => expect(formatUserCode(input)).toBe(expected));
});

describe('setupTokenFromHash', () => {
  const token = 'a'.repeat(43);
  it.each<[string, string | null]>([
    [`#setup=${token}`, token],
    [`#setup=${'A-_9'.repeat(11)}`, 'A-_9'.repeat(11)],
    ['#setup=', null],
    ['#setup=short', null],
    [`#signin=${token}`, null],
    ['', null],
    [`#setup=${token}&x=<y>`, null],
    [`#setup=${'%41'.repeat(15)}`, null],
    [`#setup=${'a'.repeat(129)}`, null],
  ])('%s', (hash, expected) => expect(setupTokenFromHash(hash)).toBe(expected));
});
