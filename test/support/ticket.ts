// Test support: mint room tickets in the Worker's format so tests can enter a room without the Worker.
// `<base64url(JSON TicketClaims)>.<base64url(HMAC-SHA256(secret, first part))>`; never used by production code.
import { createHmac, randomUUID } from 'node:crypto';
import { TICKET_TTL_SECONDS, type TicketClaims } from '../../protocol/index.ts';

/**
 * A signed ticket for `claims`. Defaults: `sid` 'test-session', a fresh random `jti`, `exp` now + 60 s. Any
 * field may be overridden (including a bad `exp` or role) to test refusals; the signature is always valid for
 * `secret`.
 */
export function mintTicket(
  secret: string,
  claims: Omit<Partial<TicketClaims>, 'role'> & { sub: string; role: string },
): string {
  const full = {
    sid: 'test-session',
    jti: randomUUID(),
    exp: Math.floor(Date.now() / 1000) + TICKET_TTL_SECONDS,
    ...claims,
  };
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
  const signature = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${payload}.${signature}`;
}
