import { describe, expect, it } from 'vitest';
import { encodeBase64url } from './base64url.ts';
import { verifyTicket } from './ticket.ts';

const SECRET = 'a-room-secret-that-is-long-enough-for-tests';
const ROOM = '3f1c6a52-8d0e-4f3b-9a51-6f0a2b9c7d10';
const OTHER_ROOM = '7b2d4e61-1a3c-4d5e-8f90-0a1b2c3d4e5f';
const NOW = 1_800_000_000;

async function sign(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return encodeBase64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload))));
}

async function mint(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  const payload = encodeBase64url(new TextEncoder().encode(JSON.stringify(claims)));
  return `${payload}.${await sign(secret, payload)}`;
}

const good = { sub: ROOM, role: 'phone', sid: 'session-1', jti: 'jti-0123456789abcdef', exp: NOW + 60 };

describe('verifyTicket', () => {
  const cases: [string, () => Promise<string | null>, string | null, number | null][] = [
    ['good phone ticket', () => mint(good), null, null],
    ['good agent ticket', () => mint({ ...good, role: 'agent' }), null, null],
    ['missing', async () => null, 'missing', 401],
    ['empty', async () => '', 'missing', 401],
    ['garbage', async () => 'not a ticket at all', 'malformed', 401],
    ['three parts', async () => `${await mint(good)}.x`, 'malformed', 401],
    ['signature too short', async () => `${(await mint(good)).split('.')[0]}.abcd`, 'malformed', 401],
    ['signed with another secret', () => mint(good, 'another-secret-that-is-also-long-enough'), 'bad-signature', 401],
    [
      'payload swapped after signing',
      async () => {
        const [, sig] = (await mint(good)).split('.');
        const forged = encodeBase64url(new TextEncoder().encode(JSON.stringify({ ...good, sub: OTHER_ROOM })));
        return `${forged}.${sig}`;
      },
      'bad-signature',
      401,
    ],
    ['expired', () => mint({ ...good, exp: NOW - 1 }), 'expired', 401],
    ['expires this second', () => mint({ ...good, exp: NOW }), 'expired', 401],
    ['other room', () => mint({ ...good, sub: OTHER_ROOM }), 'wrong-room', 403],
    ['unknown role', () => mint({ ...good, role: 'admin' }), 'bad-claims', 403],
    ['short jti', () => mint({ ...good, jti: 'x' }), 'bad-claims', 403],
    ['claims not JSON', async () => { const p = encodeBase64url(new TextEncoder().encode('{nope')); return `${p}.${await sign(SECRET, p)}`; }, 'bad-claims', 403],
    ['over the size limit', async () => 'a'.repeat(2000) + '.b', 'malformed', 401],
  ];

  it.each(cases)('%s', async (_name, make, reason, status) => {
    const result = await verifyTicket(SECRET, await make(), ROOM, NOW);
    if (reason === null) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.claims.sub).toBe(ROOM);
    } else {
      expect(result).toEqual({ ok: false, reason, status });
    }
  });
});
