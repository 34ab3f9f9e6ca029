// The phone's Web Push settings (session, owner-scoped): GET /api/push (VAPID key + subscriptions), PUT / PATCH /
// DELETE /api/push/subscription (this session's own). Another session's or owner's row is never shown or changed.
import { Hono } from 'hono';
import { and, desc, eq } from 'drizzle-orm';
import { PatchPushSubscriptionRequest, PutPushSubscriptionRequest, type PushState } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { appendAudit, audit } from '../audit/audit-append.ts';
import { requireSession, sessionLive } from '../auth/phone-session.ts';
import { decodeBase64url } from '../base64url.ts';
import { pushSubscriptions, sessions } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { refusePushEndpoint } from '../push/push-endpoint.ts';
import { storeSubscription } from '../push/push-subscription-store.ts';
import { serviceOf, storedEvents, toPushSubscriptionView } from '../push/push-subscription-view.ts';

export const pushRoutes = new Hono<AppEnv>();
pushRoutes.use('/push', requireSession);
pushRoutes.use('/push/*', requireSession);

/** At most this many subscriptions are listed (newest first). */
const MAX_LISTED = 100;

const badField = (path: string, message: string) =>
  new ProblemError(400, 'invalid-request', { detail: 'the body failed validation', invalidParams: [{ path, message }] });

/** True when `p256dh` is a point on P-256 (RFC 8291 §3.1 needs an uncompressed one: 65 bytes, 0x04 first). */
async function isP256Point(p256dh: string): Promise<boolean> {
  const bytes = decodeBase64url(p256dh);
  if (bytes?.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    await crypto.subtle.importKey('raw', bytes, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
    return true;
  } catch {
    return false;
  }
}

/** PushState: the VAPID public key (null: push is off), this session's subscription and the owner's live ones. */
pushRoutes.get('/push', async (c) => {
  const { ownerId, sessionId } = c.var.session;
  const rows = await c.var.db
    .select({ row: pushSubscriptions })
    .from(pushSubscriptions)
    .innerJoin(sessions, eq(sessions.id, pushSubscriptions.sessionId))
    .where(and(eq(pushSubscriptions.ownerId, ownerId), eq(sessions.ownerId, ownerId), sessionLive(c.var.deps.now())))
    .orderBy(desc(pushSubscriptions.createdAt))
    .limit(MAX_LISTED);
  const views = rows.map(({ row }) => toPushSubscriptionView(row, sessionId));
  const body: PushState = {
    vapidPublicKey: c.var.config.vapid?.publicKey ?? null,
    subscription: views.find((v) => v.current) ?? null,
    subscriptions: views,
  };
  return c.json(body);
});

/**
 * Store this session's subscription (push/push-subscription-store.ts says how an endpoint seen before is taken
 * over): 200 PushSubscriptionView. 400 for an endpoint the Worker must not call (push/push-endpoint.ts) or a
 * p256dh that is not a P-256 point, nothing stored; 409 when push is off (no VAPID keys).
 */
pushRoutes.put('/push/subscription', async (c) => {
  const body = await readJson(c, PutPushSubscriptionRequest);
  const refused = refusePushEndpoint(body.endpoint, c.var.config.pushAllowLocalEndpoints);
  if (refused) throw badField('endpoint', refused);
  if (!(await isP256Point(body.keys.p256dh))) throw badField('keys.p256dh', 'not an uncompressed P-256 public key');
  if (!c.var.config.vapid) throw new ProblemError(409, 'conflict', { detail: 'push is off on this server (no VAPID keys)' });
  const { ownerId, sessionId } = c.var.session;
  const now = c.var.deps.now();
  const stored = await storeSubscription(c.var.db, { ownerId, sessionId, now }, body);
  const service = serviceOf(body.endpoint);
  for (const other of stored.takenFrom) {
    // The other owner learns that the browser moved on, not who or where: no IP, no user agent.
    await appendAudit(c.var.db, { ownerId: other, action: 'push-unsubscribed', actor: 'system', detail: { service, reason: 'signed in as someone else' } }, { ip: null, userAgent: null }, now);
  }
  if (stored.subscribed) {
    await audit(c, { ownerId, action: 'push-subscribed', actor: `session:${sessionId}`, subject: stored.row.id, detail: { service } });
  }
  return c.json(toPushSubscriptionView(stored.row, sessionId));
});

/** Change which events this session's subscription gets: 200 PushSubscriptionView; 404 when it has none. */
pushRoutes.patch('/push/subscription', async (c) => {
  const { events } = await readJson(c, PatchPushSubscriptionRequest);
  const { ownerId, sessionId } = c.var.session;
  const [row] = await c.var.db
    .update(pushSubscriptions)
    .set({ events: storedEvents(events) })
    .where(and(eq(pushSubscriptions.sessionId, sessionId), eq(pushSubscriptions.ownerId, ownerId)))
    .returning();
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toPushSubscriptionView(row, sessionId));
});

/** Forget this session's subscription: 204, also when it had none. */
pushRoutes.delete('/push/subscription', async (c) => {
  const { ownerId, sessionId } = c.var.session;
  const gone = await c.var.db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.sessionId, sessionId), eq(pushSubscriptions.ownerId, ownerId)))
    .returning({ id: pushSubscriptions.id, endpoint: pushSubscriptions.endpoint });
  for (const row of gone) {
    await audit(c, { ownerId, action: 'push-unsubscribed', actor: `session:${sessionId}`, subject: row.id, detail: { service: serviceOf(row.endpoint) } });
  }
  return c.body(null, 204);
});
