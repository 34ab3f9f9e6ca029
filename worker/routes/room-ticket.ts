// POST /api/room-ticket: a 60 s single-use ticket into the caller's own room. An agent bearer token gets role
// `agent` (sid = device id); otherwise a phone session gets role `phone` (sid = session id).
import { Hono } from 'hono';
import type { RoomTicketResponse, Role } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { requireSession } from '../auth/phone-session.ts';
import { issueTicket } from '../room-ticket.ts';

export const roomTicketRoutes = new Hono<AppEnv>();

/** Agents present a bearer token; anything else must be a phone session. */
const isAgentCall = (authorization: string | undefined): boolean => authorization !== undefined;

roomTicketRoutes.post(
  '/room-ticket',
  (c, next) => (isAgentCall(c.req.header('authorization')) ? requireAgent : requireSession)(c, next),
  async (c) => {
    const who: { sub: string; role: Role; sid: string } = isAgentCall(c.req.header('authorization'))
      ? { sub: c.var.agent.ownerId, role: 'agent', sid: c.var.agent.deviceId }
      : { sub: c.var.session.ownerId, role: 'phone', sid: c.var.session.sessionId };
    const { ticket, claims } = await issueTicket(c.var.config.roomSecret, who, c.var.deps.now());
    const body: RoomTicketResponse = { ticket, room: claims.sub, host: c.var.config.partykitHost, expiresAt: claims.exp * 1000 };
    c.header('cache-control', 'no-store');
    return c.json(body);
  },
);
