// The passkeys table: reading an owner's passkeys, mapping rows to PasskeyView, recording a use, and removing one
// without ever removing an owner's last passkey (so the owner cannot lock themselves out).
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { PasskeyView } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { passkeys, sessions } from '../db/schema.ts';
import type { StoredPasskey } from './passkey-ceremony.ts';

type PasskeyRow = typeof passkeys.$inferSelect;

const Transports = z.array(z.string().max(32)).max(8);

/** The stored transports JSON as a list ([] when absent or malformed). */
export function transportsOf(text: string | null): string[] {
  if (text === null) return [];
  try {
    const parsed = Transports.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** A credential id as an audit subject (≤ 128 characters; ids up to 1364 are accepted). */
export const passkeySubject = (id: string): string => id.slice(0, 128);

/** `ownerId`'s passkeys, oldest first. */
export const ownerPasskeys = (db: Db, ownerId: string): Promise<PasskeyRow[]> =>
  db.select().from(passkeys).where(eq(passkeys.ownerId, ownerId)).orderBy(asc(passkeys.createdAt), asc(passkeys.id));

/** Descriptors (id + transports) for excludeCredentials / allowCredentials. */
export const descriptorsOf = (rows: PasskeyRow[]): { id: string; transports: string[] }[] =>
  rows.map((r) => ({ id: r.id, transports: transportsOf(r.transports) }));

/** The passkey with credential id `id` (any owner), as the verifier needs it, or null. */
export async function findPasskey(db: Db, id: string): Promise<StoredPasskey | null> {
  const [row] = await db.select().from(passkeys).where(eq(passkeys.id, id)).limit(1);
  return row ? { id: row.id, ownerId: row.ownerId, publicKey: row.publicKey, counter: row.counter, transports: transportsOf(row.transports) } : null;
}

/** The UPDATE recording a verified use at `now` (ms): the new counter, backup state and lastUsedAt. For db.batch. */
export const recordPasskeyUse = (db: Db, id: string, use: { counter: number; backedUp: boolean }, now: number) =>
  db.update(passkeys).set({ counter: use.counter, backedUp: use.backedUp, lastUsedAt: now }).where(eq(passkeys.id, id));

/** A row as the owner sees it; `current` when `currentCredentialId` (the caller session's passkey) is this one. */
export const passkeyView = (row: PasskeyRow, currentCredentialId: string | null): PasskeyView => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  deviceType: row.deviceType === 'singleDevice' || row.deviceType === 'multiDevice' ? row.deviceType : null,
  backedUp: row.backedUp,
  current: row.id === currentCredentialId,
});

/**
 * Remove `ownerId`'s passkey `id` unless it is their last, and revoke (at `now`) the live sessions it signed in, in
 * one batch. Returns the revoked session ids, or 'last' (refused) or 'unknown' (none of this owner's).
 */
export async function removePasskey(db: Db, ownerId: string, id: string, now: number): Promise<{ revoked: string[] } | 'last' | 'unknown'> {
  const [removed, revoked] = await db.batch([
    db
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.ownerId, ownerId), sql`(SELECT count(*) FROM ${passkeys} p WHERE p.owner_id = ${ownerId}) > 1`))
      .returning({ id: passkeys.id }),
    // Runs only once the passkey is gone: a refused removal leaves it in place, so NOT EXISTS is false.
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(
        and(
          eq(sessions.ownerId, ownerId),
          eq(sessions.credentialId, id),
          isNull(sessions.revokedAt),
          sql`NOT EXISTS (SELECT 1 FROM ${passkeys} p WHERE p.id = ${id})`,
        ),
      )
      .returning({ id: sessions.id }),
  ]);
  if (removed.length > 0) return { revoked: revoked.map((r) => r.id) };
  const [mine] = await db.select({ id: passkeys.id }).from(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.ownerId, ownerId))).limit(1);
  return mine ? 'last' : 'unknown';
}
