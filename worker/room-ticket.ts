// Room tickets: `<base64url(JSON claims)>.<base64url(HMAC-SHA256(TICKET_SECRET, first part))>` (protocol/auth.ts).
// Signing happens here with WebCrypto; the room verifies with the same format, the upgrade's Origin against the
// ticket's binding, single use (jti) and revoked sids.
import { TicketClaims, TICKET_TTL_SECONDS } from '../protocol/index.ts';
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { mintToken } from './secret-token.ts';

const hmacKey = (secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);

/** Sign `claims` with `secret`. */
export async function signTicket(secret: string, claims: TicketClaims): Promise<string> {
  const payload = encodeBase64url(new TextEncoder().encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), new TextEncoder().encode(payload));
  return `${payload}.${encodeBase64url(new Uint8Array(mac))}`;
}

/** Whom a ticket is for: the owner (`sub`), the session or device (`sid`), and for a phone its page origin. */
export type TicketHolder = { sub: string; sid: string } & ({ role: 'phone'; origin: string } | { role: 'agent' });

/** Mint a ticket for `who`, valid TICKET_TTL_SECONDS from `nowMs`, with a 128-bit jti. */
export async function issueTicket(secret: string, who: TicketHolder, nowMs: number): Promise<{ ticket: string; claims: TicketClaims }> {
  const claims: TicketClaims = { ...who, jti: mintToken(128), exp: Math.floor(nowMs / 1000) + TICKET_TTL_SECONDS };
  return { ticket: await signTicket(secret, claims), claims };
}

/**
 * Check a ticket's signature (constant time, WebCrypto verify) and expiry. Returns the claims, or null when the
 * ticket is malformed, forged or expired at `nowMs`. Does not track jti reuse.
 */
export async function verifyTicket(secret: string, ticket: string, nowMs: number): Promise<TicketClaims | null> {
  const [payload, mac, extra] = ticket.split('.');
  if (payload === undefined || mac === undefined || extra !== undefined) return null;
  const macBytes = decodeBase64url(mac);
  const payloadBytes = decodeBase64url(payload);
  if (!macBytes || !payloadBytes) return null;
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), macBytes, new TextEncoder().encode(payload));
  if (!ok) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    return null;
  }
  const claims = TicketClaims.safeParse(json);
  if (!claims.success || claims.data.exp * 1000 <= nowMs) return null;
  return claims.data;
}
