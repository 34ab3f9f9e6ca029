// Test support: mint room tickets in the Worker's format so tests can enter a room without the Worker.
// `<base64url(JSON TicketClaims)>.<base64url(HMAC-SHA256(TICKET_SECRET, first part))>`; never used by production code.
import { createHmac, randomUUID } from 'node:crypto';
import { TICKET_TTL_SECONDS } from '../../protocol/index.ts';

/** Claims to sign; anything may be wrong on purpose (a bad `exp`, an unknown role, a phone ticket without origin). */
export type TestClaims = { sub: string; role: string; sid?: string; jti?: string; exp?: number; origin?: string };

/**
 * A signed ticket for `claims`. Defaults: `sid` 'test-session', a fresh random `jti`, `exp` now + 60 s; `origin`
 * only when given (phone tickets need one: the room compares it with the upgrade's Origin header). The signature
 * is always valid for `secret` (the room's TICKET_SECRET).
 */
export function mintTicket(secret: string, claims: TestClaims): string {
  const full = {
    sid: 'test-session',
    jti: randomUUID(),
    exp: Math.floor(Date.now() / 1000) + TICKET_TTL_SECONDS,
    ...Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)),
  };
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
  const signature = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${payload}.${signature}`;
}
