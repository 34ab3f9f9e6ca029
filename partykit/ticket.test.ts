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

const PAGE = 'https://hearth.example';
const good = { sub: ROOM, role: 'phone', sid: 'session-1', jti: 'jti-0123456789abcdef', exp: NOW + 60, origin: PAGE };
const agent = { sub: ROOM, role: 'agent', sid: 'device-1', jti: 'jti-0123456789abcdef', exp: NOW + 60 };

describe('verifyTicket', () => {
  // [name, ticket, the upgrade's Origin header, refusal reason, status]
  const cases: [string, () => Promise<string | null>, string | null, string | null, number | null][] = [
    ['good phone ticket', () => mint(good), PAGE, null, null],
    ['good agent ticket', () => mint(agent), null, null, null],
    ['phone ticket from another page', () => mint(good), 'https://evil.example', 'wrong-origin', 403],
    ['phone ticket from the same host on another port', () => mint(good), `${PAGE}:8443`, 'wrong-origin', 403],
    ['phone ticket without an Origin header', () => mint(good), null, 'wrong-origin', 403],
    ['phone ticket that names no origin', () => mint({ ...good, origin: undefined }), PAGE, 'bad-claims', 403],
    ['phone ticket whose origin has a path', () => mint({ ...good, origin: `${PAGE}/x` }), `${PAGE}/x`, 'bad-claims', 403],
    ['agent ticket from a page', () => mint(agent), PAGE, 'wrong-origin', 403],
    ['agent ticket with an origin claim, from that page', () => mint({ ...agent, origin: PAGE }), PAGE, 'wrong-origin', 403],
    ['missing', async () => null, PAGE, 'missing', 401],
    ['empty', async () => '', PAGE, 'missing', 401],
    ['garbage', async () => 'not a ticket at all', PAGE, 'malformed', 401],
    ['three parts', async () => `${await mint(good)}.x`, PAGE, 'malformed', 401],
    ['signature too short', async () => `${(await mint(good)).split('.')[0]}.abcd`, PAGE, 'malformed', 401],
    ['signed with another secret', () => mint(good, 'another-secret-that-is-also-long-enough'), PAGE, 'bad-signature', 401],
    [
      'payload swapped after signing',
      async () => {
        const [, sig] = (await mint(good)).split('.');
        const forged = encodeBase64url(new TextEncoder().encode(JSON.stringify({ ...good, sub: OTHER_ROOM })));
        return `${forged}.${sig}`;
      },
      PAGE,
      'bad-signature',
      401,
    ],
    ['expired', () => mint({ ...good, exp: NOW - 1 }), PAGE, 'expired', 401],
    ['expires this second', () => mint({ ...good, exp: NOW }), PAGE, 'expired', 401],
    ['other room', () => mint({ ...good, sub: OTHER_ROOM }), PAGE, 'wrong-room', 403],
    ['unknown role', () => mint({ ...good, role: 'admin' }), PAGE, 'bad-claims', 403],
    ['short jti', () => mint({ ...good, jti: 'x' }), PAGE, 'bad-claims', 403],
    ['claims not JSON', async () => { const p = encodeBase64url(new TextEncoder().encode('{nope')); return `${p}.${await sign(SECRET, p)}`; }, PAGE, 'bad-claims', 403],
    ['over the size limit', async () => 'a'.repeat(2000) + '.b', PAGE, 'malformed', 401],
  ];

  it.each(cases)('%s', async (_name, make, origin, reason, status) => {
    const result = await verifyTicket(SECRET, await make(), { roomId: ROOM, nowSeconds: NOW, origin });
    if (reason === null) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.claims.sub).toBe(ROOM);
    } else {
      expect(result).toEqual({ ok: false, reason, status });
    }
  });
});
