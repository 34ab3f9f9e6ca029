// The owner's phone sessions: list the live ones, revoke one (its room sockets are closed through a `revoke`
// notification). Routes: GET /api/sessions, DELETE /api/sessions/:id.
import { Hono } from 'hono';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { SESSION_IDLE_MS, type SessionList } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../audit/audit-append.ts';
import { sessions } from '../db/schema.ts';
import { ProblemError } from '../problem.ts';
import { clearSessionCookie, requireSession, revokeSession, sessionLive } from '../auth/phone-session.ts';
import { announce, revoked } from '../tasks/announce.ts';

export const sessionRoutes = new Hono<AppEnv>();
sessionRoutes.use('/sessions', requireSession);
sessionRoutes.use('/sessions/*', requireSession);

/** At most this many sessions are listed (newest first). */
const MAX_LISTED = 100;

sessionRoutes.get('/sessions', async (c) => {
  const { ownerId, sessionId } = c.var.session;
  const rows = await c.var.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.ownerId, ownerId), sessionLive(c.var.deps.now())))
    .orderBy(desc(sessions.createdAt))
    .limit(MAX_LISTED);
  const body: SessionList = {
    sessions: rows.map((r) => {
      const lastUsedAt = r.lastUsedAt ?? r.createdAt;
      return {
        id: r.id,
        createdAt: r.createdAt,
        lastUsedAt,
        expiresAt: r.expiresAt,
        idleExpiresAt: lastUsedAt + SESSION_IDLE_MS,
        ip: r.ip,
        userAgent: r.userAgent,
        credentialId: r.credentialId,
        passkeyVerifiedAt: r.passkeyVerifiedAt,
        current: r.id === sessionId,
      };
    }),
  };
  return c.json(body);
});

sessionRoutes.delete('/sessions/:id', async (c) => {
  const id = z.uuid().safeParse(c.req.param('id'));
  if (!id.success) throw new ProblemError(404, 'not-found');
  const { ownerId, sessionId } = c.var.session;
  const outcome = await revokeSession(c.var.db, ownerId, id.data, c.var.deps.now());
  if (outcome === 'unknown') throw new ProblemError(404, 'not-found');
  if (outcome === 'already') throw new ProblemError(409, 'conflict', { detail: 'that session was already revoked' });
  if (id.data === sessionId) clearSessionCookie(c);
  await audit(c, { ownerId, action: 'session-revoked', actor: `session:${sessionId}`, subject: id.data });
  announce(c, [revoked(ownerId, id.data)]);
  return c.body(null, 204);
});
