// Phone sessions: the `hearth_session` cookie, its D1 row (hash only), and the middleware that requires one.
// A cookie-authenticated write from another origin is refused (403) on top of SameSite=Strict.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { and, eq, gt } from 'drizzle-orm';
import type { AppEnv, Db } from '../app-env.ts';
import { sessions, users } from '../db/schema.ts';
import { ProblemError } from '../problem.ts';
import { hashToken, mintToken } from '../secret-token.ts';

export const SESSION_COOKIE = 'hearth_session';
/** Absolute session lifetime, in ms (30 days). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A session row minus its owner (who is known only once a sign-in link is redeemed). Times are epoch ms. */
export type SessionDraft = Omit<typeof sessions.$inferInsert, 'ownerId'>;

/** A fresh session starting at `now` (ms): its cookie token and the row values that store only its hash. */
export async function draftSession(now: number): Promise<{ token: string; draft: SessionDraft }> {
  const token = mintToken();
  return { token, draft: { id: crypto.randomUUID(), tokenHash: await hashToken(token), createdAt: now, expiresAt: now + SESSION_TTL_MS } };
}

/** Set the session cookie to `token` (HttpOnly, SameSite=Strict, Path=/, Secure on https, 30 days). */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** Delete the caller's session row (if any) and clear the cookie. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await c.var.db.delete(sessions).where(eq(sessions.tokenHash, await hashToken(token)));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** The live session for a cookie value, or null (unknown or past its absolute expiry at `now`). */
export async function findSession(db: Db, token: string, now: number) {
  const rows = await db
    .select({ sessionId: sessions.id, ownerId: sessions.ownerId, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.ownerId))
    .where(and(eq(sessions.tokenHash, await hashToken(token)), gt(sessions.expiresAt, now)))
    .limit(1);
  return rows[0] ?? null;
}

/** Refuse a write whose Origin header names another origin (browsers always send Origin on POST). */
function assertSameOrigin(c: Context): void {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return;
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) {
    throw new ProblemError(403, 'forbidden', { detail: 'cross-origin request' });
  }
}

/** Middleware: require a phone session; sets `c.var.session`. 401 without one. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await findSession(c.var.db, token, c.var.deps.now()) : null;
  if (!session) throw new ProblemError(401, 'unauthenticated');
  assertSameOrigin(c);
  c.set('session', session);
  await next();
};
