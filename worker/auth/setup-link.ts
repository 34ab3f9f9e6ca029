// One-time setup links (`/#setup=<token>`, minted with SETUP_SECRET): finding a live one, and spending it on a new
// passkey plus a signed-in session in one atomic D1 batch — all three happen, or none (a link is never half used).
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../app-env.ts';
import { passkeys, sessions, signInLinks, users } from '../db/schema.ts';
import { hashToken, mintToken } from '../secret-token.ts';
import type { NewPasskey } from './passkey-ceremony.ts';
import type { SessionDraft } from './phone-session.ts';

/** How long a setup link lives, ms (10 minutes). */
export const SETUP_LINK_TTL_MS = 10 * 60 * 1000;

/** A live (unused, unexpired) link and its owner. */
export type SetupLink = { id: string; ownerId: string; ownerName: string };

/**
 * Mint a link for the owner named `owner` (created on first use) at `now` (ms). Returns the secret token (to put
 * in the URL fragment; only its hash is stored), the link id, owner id and expiry.
 */
export async function mintSetupLink(db: Db, owner: string, now: number): Promise<{ token: string; linkId: string; ownerId: string; expiresAt: number }> {
  await db.insert(users).values({ id: crypto.randomUUID(), name: owner, createdAt: now }).onConflictDoNothing();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.name, owner)).limit(1);
  if (!user) throw new Error('the owner row vanished after its insert');
  const token = mintToken();
  const linkId = crypto.randomUUID();
  const expiresAt = now + SETUP_LINK_TTL_MS;
  await db.insert(signInLinks).values({ id: linkId, ownerId: user.id, tokenHash: await hashToken(token), createdAt: now, expiresAt });
  return { token, linkId, ownerId: user.id, expiresAt };
}

const redeemable = (linkId: string, now: number) => and(eq(signInLinks.id, linkId), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now));

/** The live link whose token is `token` at `now`, or null (unknown, used or expired). */
export async function findSetupLink(db: Db, token: string, now: number): Promise<SetupLink | null> {
  const [row] = await db
    .select({ id: signInLinks.id, ownerId: signInLinks.ownerId, ownerName: users.name })
    .from(signInLinks)
    .innerJoin(users, eq(users.id, signInLinks.ownerId))
    .where(and(eq(signInLinks.tokenHash, await hashToken(token)), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

/**
 * Spend link `linkId` at `now`: store `passkey` (named `name`) and `session` for the link's owner and mark the link
 * used, in one `db.batch` (a D1 transaction). Both INSERT … SELECTs and the UPDATE share the redeemable condition,
 * so they match the same row or none. Returns false when the link was no longer redeemable (nothing written).
 * Throws (having changed nothing) when D1 fails, e.g. the credential id is already stored.
 */
export async function redeemSetupLink(db: Db, linkId: string, passkey: NewPasskey & { name: string }, session: SessionDraft, now: number): Promise<boolean> {
  const where = redeemable(linkId, now);
  const s = session;
  // Each INSERT … SELECT lists every column in table order (drizzle inserts into all of them).
  const [, , spent] = await db.batch([
    db.insert(passkeys).select(
      sql`SELECT ${passkey.id}, owner_id, ${passkey.name}, ${passkey.publicKey}, ${passkey.counter}, ${JSON.stringify(passkey.transports)},
        ${passkey.deviceType}, ${passkey.backedUp ? 1 : 0}, ${now}, ${now} FROM ${signInLinks} WHERE ${where}`,
    ),
    db.insert(sessions).select(
      sql`SELECT ${s.id}, owner_id, ${s.tokenHash}, ${s.createdAt}, ${s.expiresAt}, ${s.lastUsedAt ?? null}, ${s.ip ?? null}, ${s.userAgent ?? null},
        ${s.credentialId ?? null}, ${s.passkeyVerifiedAt ?? null}, NULL FROM ${signInLinks} WHERE ${where}`,
    ),
    db.update(signInLinks).set({ usedAt: now }).where(where).returning({ id: signInLinks.id }),
  ]);
  return spent.length > 0;
}
