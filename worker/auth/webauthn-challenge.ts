// WebAuthn challenges in D1: each lives 5 minutes, is bound to one purpose (and to the setup link, session or owner
// it was issued for) and is spent by exactly one conditional UPDATE, so a replayed ceremony finds nothing.
import { and, eq, gt, isNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../app-env.ts';
import { webauthnChallenges } from '../db/schema.ts';

/** How long a challenge may be answered, ms (WebAuthn's own timeout hint is the same). */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Spent or expired challenges are deleted once they are this old, ms. */
const KEEP_MS = 60 * 60 * 1000;

export type ChallengePurpose = 'register' | 'authenticate' | 'reverify';

/** What a challenge is bound to, besides its purpose. Unset fields must be null on the row. */
export type ChallengeBinding = { ownerId?: string; sessionId?: string; linkId?: string };

/**
 * Store `challenge` (base64url, as placed in the options) for `purpose` and `binding` at `now` (ms); returns its
 * id. Also deletes challenges that ended over an hour ago, so the table stays small.
 */
export async function issueChallenge(db: Db, challenge: string, purpose: ChallengePurpose, binding: ChallengeBinding, now: number): Promise<string> {
  const id = crypto.randomUUID();
  await db.batch([
    db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now - KEEP_MS)),
    db.insert(webauthnChallenges).values({
      id,
      challenge,
      purpose,
      ownerId: binding.ownerId ?? null,
      sessionId: binding.sessionId ?? null,
      linkId: binding.linkId ?? null,
      createdAt: now,
      expiresAt: now + CHALLENGE_TTL_MS,
    }),
  ]);
  return id;
}

const bound = (column: typeof webauthnChallenges.ownerId | typeof webauthnChallenges.sessionId | typeof webauthnChallenges.linkId, value: string | undefined): SQL =>
  value === undefined ? isNull(column) : eq(column, value);

/**
 * Spend challenge `id` at `now` if it is unused, unexpired, for `purpose` and bound exactly to `binding`: one
 * conditional UPDATE. Returns the challenge text to verify against, or null (unknown, used, expired, other purpose
 * or binding) — a loser of two concurrent spends gets null.
 */
export async function spendChallenge(db: Db, id: string, purpose: ChallengePurpose, binding: ChallengeBinding, now: number): Promise<string | null> {
  const [row] = await db
    .update(webauthnChallenges)
    .set({ usedAt: now })
    .where(
      and(
        eq(webauthnChallenges.id, id),
        eq(webauthnChallenges.purpose, purpose),
        isNull(webauthnChallenges.usedAt),
        gt(webauthnChallenges.expiresAt, now),
        bound(webauthnChallenges.ownerId, binding.ownerId),
        bound(webauthnChallenges.sessionId, binding.sessionId),
        bound(webauthnChallenges.linkId, binding.linkId),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge });
  return row?.challenge ?? null;
}
