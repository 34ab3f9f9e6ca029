// Storing a phone session's push subscription (one row per session, one row per endpoint) and pruning rows whose
// session ended. Each write is one db.batch, so a subscription is never half moved.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { ALL_PUSH_EVENTS, type PutPushSubscriptionRequest } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { sessionLive } from '../auth/phone-session.ts';
import { pushSubscriptions, sessions } from '../db/schema.ts';
import { storedEvents, type PushSubscriptionRow } from './push-subscription-view.ts';

export type Subscriber = { ownerId: string; sessionId: string; now: number };

export type Stored = {
  row: PushSubscriptionRow;
  /** This session had no subscription with this endpoint before (a new or a different one): worth an audit entry. */
  subscribed: boolean;
  /** Owners whose row for this endpoint was taken over (the browser is now signed in as `ownerId`). */
  takenFrom: string[];
};

/**
 * Store `body` as the subscription of `who.sessionId`. A browser's endpoint belongs to that browser, so:
 * - the session's row for another endpoint is replaced (one row per session);
 * - a row with this endpoint of another session of the same owner moves to this session (a re-sign-in), keeping
 *   its events unless `body.events` names them;
 * - a row with this endpoint of another owner is deleted and a fresh row made: the browser is now signed in as
 *   `who.ownerId`. The answer is the same whether such a row existed or not, so nothing about it is revealed.
 * New rows get `body.events` or every event. Keys, expirationTime and failures (0) are always refreshed.
 */
export async function storeSubscription(db: Db, who: Subscriber, body: PutPushSubscriptionRequest): Promise<Stored> {
  const [before] = await db
    .select({ endpoint: pushSubscriptions.endpoint })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.sessionId, who.sessionId))
    .limit(1);
  const keys = { p256dh: body.keys.p256dh, auth: body.keys.auth, expirationTime: body.expirationTime ?? null, failures: 0 };
  const [takenOver, , upserted] = await db.batch([
    db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.endpoint, body.endpoint), ne(pushSubscriptions.ownerId, who.ownerId)))
      .returning({ ownerId: pushSubscriptions.ownerId }),
    db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.sessionId, who.sessionId), ne(pushSubscriptions.endpoint, body.endpoint))),
    db
      .insert(pushSubscriptions)
      .values({
        id: crypto.randomUUID(),
        ownerId: who.ownerId,
        sessionId: who.sessionId,
        endpoint: body.endpoint,
        events: storedEvents(body.events ?? ALL_PUSH_EVENTS),
        createdAt: who.now,
        ...keys,
      })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: { sessionId: who.sessionId, ...keys, ...(body.events ? { events: storedEvents(body.events) } : {}) },
      })
      .returning(),
  ]);
  const row = upserted[0];
  if (!row) throw new Error('push subscription upsert returned no row');
  return { row, subscribed: before?.endpoint !== body.endpoint, takenFrom: takenOver.map((t) => t.ownerId) };
}

/** Delete the rows of sessions that are no longer live at `now` (revoked, expired, idle): they get no pushes anyway. */
export async function pruneSubscriptions(db: Db, now: number): Promise<number> {
  const ended = db.select({ id: sessions.id }).from(sessions).where(sql`not (${sessionLive(now)})`);
  const gone = await db.delete(pushSubscriptions).where(inArray(pushSubscriptions.sessionId, ended)).returning({ id: pushSubscriptions.id });
  return gone.length;
}
