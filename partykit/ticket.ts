// Room tickets: `<base64url(JSON TicketClaims)>.<base64url(HMAC-SHA256(TICKET_SECRET, first part))>`, minted by the
// Worker. Verifies signature (WebCrypto, constant time), expiry, room and the upgrade's Origin against the ticket's
// binding; does not track single use (ticket-replay.ts) or revoked sids (revoked-sids.ts).
import { TicketClaims } from '../protocol/index.ts';
import { decodeBase64url } from './base64url.ts';

/** Longest ticket accepted, in characters; real ones are ~250 (phone tickets carry their origin). */
export const MAX_TICKET_CHARS = 1024;

export type TicketRefusal = 'missing' | 'malformed' | 'bad-signature' | 'bad-claims' | 'expired' | 'wrong-room' | 'wrong-origin';

export type TicketCheck = { ok: true; claims: TicketClaims } | { ok: false; reason: TicketRefusal; status: 401 | 403 };

/** Where and when a ticket is presented: the room id, the clock (epoch s) and the upgrade's `Origin` header (or null). */
export type TicketContext = { roomId: string; nowSeconds: number; origin: string | null };

const FORBIDDEN: readonly TicketRefusal[] = ['wrong-room', 'bad-claims', 'wrong-origin'];

const refuse = (reason: TicketRefusal): TicketCheck => ({ ok: false, reason, status: FORBIDDEN.includes(reason) ? 403 : 401 });

/**
 * Whether a socket presenting `claims` came from where the ticket was bound: a phone ticket only with the same
 * `Origin` as the page that asked for it; an agent ticket only with no `Origin` at all (a browser always sends one).
 */
export const originMatches = (claims: TicketClaims, origin: string | null): boolean =>
  claims.role === 'phone' ? origin === claims.origin : origin === null;

/**
 * Check `ticket` at `ctx`. The signature is checked before the claims are read. Refusals: 401 for
 * missing/malformed/bad-signature/expired (`exp` ≤ now); 403 for a well-signed ticket whose claims are invalid
 * (e.g. an unknown role, a phone ticket without an origin), that names another room, or whose Origin binding the
 * upgrade does not meet (`wrong-origin`). Never throws.
 */
export async function verifyTicket(secret: string, ticket: string | null, ctx: TicketContext): Promise<TicketCheck> {
  if (!ticket) return refuse('missing');
  if (ticket.length > MAX_TICKET_CHARS) return refuse('malformed');
  const parts = ticket.split('.');
  if (parts.length !== 2) return refuse('malformed');
  const [payload = '', signature = ''] = parts;
  const payloadBytes = decodeBase64url(payload);
  const signatureBytes = decodeBase64url(signature);
  if (!payload || !payloadBytes || !signatureBytes || signatureBytes.length !== 32) return refuse('malformed');

  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const valid = await crypto.subtle.verify('HMAC', key, signatureBytes, encoder.encode(payload));
  if (!valid) return refuse('bad-signature');

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(payloadBytes));
  } catch {
    return refuse('bad-claims');
  }
  const claims = TicketClaims.safeParse(json);
  if (!claims.success) return refuse('bad-claims');
  if (claims.data.exp <= ctx.nowSeconds) return refuse('expired');
  if (claims.data.sub !== ctx.roomId) return refuse('wrong-room');
  if (!originMatches(claims.data, ctx.origin)) return refuse('wrong-origin');
  return { ok: true, claims: claims.data };
}

/** The `ticket` query parameter of a connection URL, or null. */
export function ticketFromUrl(url: string): string | null {
  try {
    return new URL(url).searchParams.get('ticket');
  } catch {
    return null;
  }
}
