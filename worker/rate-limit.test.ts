import { describe, expect, it } from 'vitest';
import { ipWho, keyOf, rateLimited, retryAfterSeconds, windowStartOf } from './rate-limit.ts';

describe('fixed windows', () => {
  it('align windows to multiples of their length and count Retry-After to the window end, at least 1 s', () => {
    expect(windowStartOf(125_000, 60_000)).toBe(120_000);
    expect(windowStartOf(120_000, 60_000)).toBe(120_000);
    expect(retryAfterSeconds(120_000, 60_000)).toBe(60);
    expect(retryAfterSeconds(125_500, 60_000)).toBe(55);
    expect(retryAfterSeconds(179_999, 60_000)).toBe(1);
  });

  it('render a full window as a 429 rate-limited problem with Retry-After', async () => {
    const rule = { name: 'sign-in', limit: 60, windowMs: 60_000 };
    const res = rateLimited(rule, 150_000).getResponse();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toMatchObject({ code: 'rate-limited', status: 429 });
    expect(keyOf({ rule, who: 'ip:203.0.113.9' })).toBe('sign-in:ip:203.0.113.9');
  });
});

describe('ipWho', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped IPv6, and cuts IPv6 to its /64', () => {
    expect(ipWho('203.0.113.9')).toBe('ip:203.0.113.9');
    expect(ipWho('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
    expect(ipWho('2001:db8:aa:bb:1:2:3:4')).toBe('ip6:2001:db8:aa:bb::/64');
    expect(ipWho('2001:0DB8:00aa:00bb:ffff::1')).toBe('ip6:2001:db8:aa:bb::/64');
    expect(ipWho('2001:db8::1')).toBe('ip6:2001:db8:0:0::/64');
    expect(ipWho('::1')).toBe('ip6:0:0:0:0::/64');
    expect(ipWho('fe80::1%eth0')).toBe('ip6:fe80:0:0:0::/64');
    expect(ipWho(null)).toBe('ip:unknown');
  });

  it('keeps what is not an address as it is (it still limits that client)', () => {
    expect(ipWho('1:2:3')).toBe('ip:1:2:3');
    expect(ipWho('1::2::3')).toBe('ip:1::2::3');
    expect(ipWho('not-an-ip')).toBe('ip:not-an-ip');
  });
});
