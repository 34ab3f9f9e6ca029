// Room tickets: `<base64url(JSON TicketClaims)>.<base64url(HMAC-SHA256(ROOM_SECRET, first part))>`, minted by the
// Worker. Verifies signature (WebCrypto, constant time), expiry and room; does not track single use (ticket-replay.ts).
import { TicketClaims } from '../protocol/index.ts';
import { decodeBase64url } from './base64url.ts';

/** Longest ticket accepted, in characters; real ones are ~250. */
export const MAX_TICKET_CHARS = 1024;

export type TicketRefusal = 'missing' | 'malformed' | 'bad-signature' | 'bad-claims' | 'expired' | 'wrong-room';

export type TicketCheck = { ok: true; claims: TicketClaims } | { ok: false; reason: TicketRefusal; status: 401 | 403 };

const refuse = (reason: TicketRefusal): TicketCheck => ({
  ok: false,
  reason,
  status: reason === 'wrong-room' || reason === 'bad-claims' ? 403 : 401,
});

/**
 * Check `ticket` for room `roomId` at `nowSeconds` (epoch s). The signature is checked before the claims are
 * read. Refusals: 401 for missing/malformed/bad-signature/expired (`exp` ≤ now), 403 for a well-signed ticket
 * whose claims are invalid (e.g. an unknown role) or name another room. Never throws.
 */
export async function verifyTicket(
  secret: string,
  ticket: string | null,
  roomId: string,
  nowSeconds: number,
): Promise<TicketCheck> {
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
  if (claims.data.exp <= nowSeconds) return refuse('expired');
  if (claims.data.sub !== roomId) return refuse('wrong-room');
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
