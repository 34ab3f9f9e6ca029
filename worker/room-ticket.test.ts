import { describe, expect, it } from 'vitest';
import { TicketClaims } from '../protocol/index.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { issueTicket, signTicket, verifyTicket } from './room-ticket.ts';

const SECRET = 'r'.repeat(40);
const OWNER = '6f1c2d8e-4b1a-4c3e-9a53-3b7d1c0e5f21';
const NOW = 1_800_000_000_000;
const PAGE = 'https://hearth.example';

/** An independent HMAC-SHA256 of `data` with `secret` (node:crypto-free: WebCrypto in the test runtime). */
async function hmac(secret: string, data: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(data)));
}

describe('room tickets', () => {
  it('are base64url(JSON claims).base64url(HMAC-SHA256(secret, first part))', async () => {
    const { ticket, claims } = await issueTicket(SECRET, { sub: OWNER, role: 'phone', sid: 'session-1', origin: PAGE }, NOW);
    const [payload, mac] = ticket.split('.');
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = JSON.parse(new TextDecoder().decode(decodeBase64url(payload!)!));
    expect(TicketClaims.parse(decoded)).toEqual(claims);
    expect(claims).toMatchObject({ sub: OWNER, role: 'phone', sid: 'session-1', origin: PAGE, exp: NOW / 1000 + 60 });
    expect(decodeBase64url(claims.jti)).toHaveLength(16);
    expect(mac).toBe(encodeBase64url(await hmac(SECRET, payload!)));
  });

  it('round-trip through verifyTicket until they expire', async () => {
    const { ticket, claims } = await issueTicket(SECRET, { sub: OWNER, role: 'agent', sid: OWNER }, NOW);
    expect(await verifyTicket(SECRET, ticket, NOW + 59_999)).toEqual(claims);
    expect(await verifyTicket(SECRET, ticket, NOW + 60_000)).toBeNull();
  });

  it('fail with another secret, a changed payload or garbage', async () => {
    const { ticket } = await issueTicket(SECRET, { sub: OWNER, role: 'phone', sid: 's', origin: PAGE }, NOW);
    expect(await verifyTicket('x'.repeat(40), ticket, NOW)).toBeNull();
    const [, mac] = ticket.split('.');
    const forged = encodeBase64url(new TextEncoder().encode(JSON.stringify({ sub: OWNER, role: 'agent', sid: 's', jti: 'a'.repeat(22), exp: NOW / 1000 + 60 })));
    expect(await verifyTicket(SECRET, `${forged}.${mac}`, NOW)).toBeNull();
    expect(await verifyTicket(SECRET, 'not-a-ticket', NOW)).toBeNull();
    expect(await verifyTicket(SECRET, `${ticket}.extra`, NOW)).toBeNull();
  });

  it('refuse validly signed claims that break the schema', async () => {
    const ticket = await signTicket(SECRET, { sub: 'not-a-uuid', role: 'phone', sid: 's', origin: PAGE, jti: 'j'.repeat(22), exp: NOW / 1000 + 60 });
    expect(await verifyTicket(SECRET, ticket, NOW)).toBeNull();
    const noOrigin = await issueTicket(SECRET, { sub: OWNER, role: 'agent', sid: 's' }, NOW);
    const asPhone = JSON.stringify({ ...noOrigin.claims, role: 'phone' });
    const payload = encodeBase64url(new TextEncoder().encode(asPhone));
    expect(await verifyTicket(SECRET, `${payload}.${encodeBase64url(await hmac(SECRET, payload))}`, NOW)).toBeNull();
  });
});
