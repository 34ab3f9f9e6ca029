// Table tests for routes: deep links, pairing links, and the sign-in fragment.
import { describe, expect, it } from 'vitest';
import { formatUserCode, parseRoute, routePath, signInTokenFromHash, type Route } from './routes.ts';

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

describe('signInTokenFromHash', () => {
  const token = 'a'.repeat(43);
  it.each<[string, string | null]>([
    [`#signin=${token}`, token],
    ['#signin=abc-_.~', 'abc-_.~'],
    ['#signin=', null],
    ['#other=abc', null],
    ['', null],
    ['#signin=abc&x=<y>', null],
    ['#signin=%E0%A4%A', null],
  ])('%s', (hash, expected) => expect(signInTokenFromHash(hash)).toBe(expected));
});
