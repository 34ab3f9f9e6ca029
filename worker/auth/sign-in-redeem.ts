// Redeeming a one-time sign-in link for a phone session in one atomic D1 batch: either the link is spent and
// the session exists, or neither (a failure never burns the link; a double redeem yields exactly one session).
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../app-env.ts';
import { sessions, signInLinks } from '../db/schema.ts';
import type { SessionDraft } from './phone-session.ts';

/**
 * Spend the unused, unexpired link whose token hashes to `linkTokenHash` and create `session` for its owner.
 * One `db.batch` (a D1 transaction): INSERT … SELECT from the link row under the redeemable condition, then the
 * conditional UPDATE that marks it used. Returns the owner id, or null when the link is unknown, used or
 * expired at `now` (epoch ms). Throws (having changed nothing) when D1 fails.
 */
export async function redeemSignInLink(db: Db, linkTokenHash: string, session: SessionDraft, now: number): Promise<string | null> {
  const redeemable = and(eq(signInLinks.tokenHash, linkTokenHash), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now));
  const [created, spent] = await db.batch([
    db
      .insert(sessions)
      .select(
        db
          .select({
            id: sql<string>`${session.id}`.as('id'),
            ownerId: signInLinks.ownerId,
            tokenHash: sql<string>`${session.tokenHash}`.as('token_hash'),
            createdAt: sql<number>`${session.createdAt}`.as('created_at'),
            expiresAt: sql<number>`${session.expiresAt}`.as('expires_at'),
          })
          .from(signInLinks)
          .where(redeemable),
      )
      .returning({ ownerId: sessions.ownerId }),
    db.update(signInLinks).set({ usedAt: now }).where(redeemable).returning({ ownerId: signInLinks.ownerId }),
  ]);
  const ownerId = spent[0]?.ownerId;
  // Both statements share one condition inside one transaction, so they match the same row or none.
  if (ownerId === undefined || created[0]?.ownerId !== ownerId) return null;
  return ownerId;
}
