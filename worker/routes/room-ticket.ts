// POST /api/room-ticket: a 60 s single-use ticket into the caller's own room. An agent bearer token gets role
// `agent` (sid = device id, no origin); otherwise a phone session gets role `phone` (sid = session id), bound to the
// page Origin that asked for it, which the room checks on the WebSocket upgrade.
import { Hono, type Context } from 'hono';
import { PageOrigin, type RoomTicketResponse } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { requireSession } from '../auth/phone-session.ts';
import { ProblemError } from '../problem.ts';
import { issueTicket, type TicketHolder } from '../room-ticket.ts';

export const roomTicketRoutes = new Hono<AppEnv>();

/** Agents present a bearer token; anything else must be a phone session. */
const isAgentCall = (authorization: string | undefined): boolean => authorization !== undefined;

/**
 * The page origin a phone ticket is bound to: the request's `Origin` header (browsers send it on every POST; the
 * session middleware already refused a foreign one). 403 without a well-formed one.
 */
function phoneOrigin(c: Context<AppEnv>): string {
  const origin = PageOrigin.safeParse(c.req.header('origin'));
  if (!origin.success) throw new ProblemError(403, 'forbidden', { detail: 'a phone ticket needs the Origin header of the page that asks for it' });
  return origin.data;
}

roomTicketRoutes.post(
  '/room-ticket',
  (c, next) => (isAgentCall(c.req.header('authorization')) ? requireAgent : requireSession)(c, next),
  async (c) => {
    const who: TicketHolder = isAgentCall(c.req.header('authorization'))
      ? { sub: c.var.agent.ownerId, role: 'agent', sid: c.var.agent.deviceId }
      : { sub: c.var.session.ownerId, role: 'phone', sid: c.var.session.sessionId, origin: phoneOrigin(c) };
    const { ticket, claims } = await issueTicket(c.var.config.ticketSecret, who, c.var.deps.now());
    const body: RoomTicketResponse = { ticket, room: claims.sub, host: c.var.config.partykitHost, expiresAt: claims.exp * 1000 };
    c.header('cache-control', 'no-store');
    return c.json(body);
  },
);
