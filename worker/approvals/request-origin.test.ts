import { expect, it } from 'vitest';
import { requestOrigin } from './request-origin.ts';

it('prefers cf-connecting-ip, falls back to the first x-forwarded-for entry, and bounds what it keeps', () => {
  expect(requestOrigin(new Headers({ 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '198.51.100.1', 'user-agent': 'Phone/1' }))).toEqual({
    ip: '203.0.113.7',
    userAgent: 'Phone/1',
  });
  expect(requestOrigin(new Headers({ 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.1' })).ip).toBe('198.51.100.1');
  expect(requestOrigin(new Headers())).toEqual({ ip: null, userAgent: null });
  expect(requestOrigin(new Headers({ 'user-agent': 'x'.repeat(2000) })).userAgent).toHaveLength(512);
  expect(requestOrigin(new Headers({ 'user-agent': 'a\tb' })).userAgent).toBe('ab');
});
