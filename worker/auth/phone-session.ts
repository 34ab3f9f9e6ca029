// Phone sessions: the `hearth_session` cookie, its D1 row (hash only), expiry (absolute, idle, revoked) and the
// middleware that requires one. Cross-origin writes are refused before this runs, for all of /api/* (cross-origin.ts).
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { SESSION_IDLE_MS, SESSION_TTL_MS } from '../../protocol/index.ts';
import type { AppEnv, Db, PhoneSession } from '../app-env.ts';
import { sessions, users } from '../db/schema.ts';
import { ProblemError } from '../problem.ts';
import { hashToken, mintToken } from '../secret-token.ts';

export const SESSION_COOKIE = 'hearth_session';
/** lastUsedAt is written at most this often per session, ms, so every request is not a write. */
const USE_RESOLUTION_MS = 60_000;

/** A session row minus its owner (known only once the ceremony has found it). Times are epoch ms. */
export type SessionDraft = Omit<typeof sessions.$inferInsert, 'ownerId'>;

/** Where a sign-in came from and with which passkey, recorded on the session. */
export type SessionOrigin = { ip: string | null; userAgent: string | null; credentialId: string };

/**
 * A fresh session signed in at `now` (ms) with a passkey just verified: its cookie token and the row values that
 * store only its hash. Absolute expiry now + SESSION_TTL_MS; idle expiry counts from lastUsedAt.
 */
export async function draftSession(now: number, from: SessionOrigin): Promise<{ token: string; draft: SessionDraft }> {
  const token = mintToken();
  return {
    token,
    draft: {
      id: crypto.randomUUID(),
      tokenHash: await hashToken(token),
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
      lastUsedAt: now,
      ip: from.ip,
      userAgent: from.userAgent,
      credentialId: from.credentialId,
      passkeyVerifiedAt: now,
    },
  };
}

/**
 * Set the session cookie to `token`: HttpOnly, Secure, SameSite=Strict, Path=/, 30 days. Secure even on plain
 * http in local dev: Chromium keeps Secure cookies for http://localhost and http://127.0.0.1, which it treats as
 * potentially trustworthy origins (checked in headless Chromium; the passkey e2e test relies on it).
 */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', maxAge: SESSION_TTL_MS / 1000 });
}

/** Clear the session cookie (the row is revoked separately). */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
}

/** SQL for "this session is live at `now`": not revoked, before its absolute expiry, used within SESSION_IDLE_MS. */
export const sessionLive = (now: number) =>
  and(isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sql`coalesce(${sessions.lastUsedAt}, ${sessions.createdAt})`, now - SESSION_IDLE_MS));

/**
 * The live session for a cookie value at `now` (ms), or null (unknown, revoked, expired or idle too long). Moves
 * lastUsedAt forward when it is more than a minute old.
 */
export async function findSession(db: Db, token: string, now: number): Promise<PhoneSession | null> {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      ownerId: sessions.ownerId,
      name: users.name,
      credentialId: sessions.credentialId,
      passkeyVerifiedAt: sessions.passkeyVerifiedAt,
      lastUsedAt: sessions.lastUsedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.ownerId))
    .where(and(eq(sessions.tokenHash, await hashToken(token)), sessionLive(now)))
    .limit(1);
  if (!row) return null;
  if (row.lastUsedAt === null || row.lastUsedAt < now - USE_RESOLUTION_MS) {
    await db
      .update(sessions)
      .set({ lastUsedAt: now })
      .where(and(eq(sessions.id, row.sessionId), or(isNull(sessions.lastUsedAt), lt(sessions.lastUsedAt, now - USE_RESOLUTION_MS))));
  }
  return { sessionId: row.sessionId, ownerId: row.ownerId, name: row.name, credentialId: row.credentialId, passkeyVerifiedAt: row.passkeyVerifiedAt };
}

/**
 * Revoke one of `ownerId`'s sessions at `now` (one conditional UPDATE). Returns 'revoked', 'already' (revoked
 * before) or 'unknown' (no such session of this owner).
 */
export async function revokeSession(db: Db, ownerId: string, sessionId: string, now: number): Promise<'revoked' | 'already' | 'unknown'> {
  const mine = and(eq(sessions.id, sessionId), eq(sessions.ownerId, ownerId));
  const done = await db.update(sessions).set({ revokedAt: now }).where(and(mine, isNull(sessions.revokedAt))).returning({ id: sessions.id });
  if (done.length > 0) return 'revoked';
  const [row] = await db.select({ id: sessions.id }).from(sessions).where(mine).limit(1);
  return row ? 'already' : 'unknown';
}

/** Middleware: require a live phone session; sets `c.var.session`. 401 without one. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await findSession(c.var.db, token, c.var.deps.now()) : null;
  if (!session) throw new ProblemError(401, 'unauthenticated');
  c.set('session', session);
  await next();
};
