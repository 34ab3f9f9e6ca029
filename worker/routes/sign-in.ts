// Sign-in until passkeys arrive: SETUP_SECRET mints one-time links; a link's token buys one phone session.
// Routes: POST /api/setup/sign-in-link, POST /api/auth/sign-in, POST /api/auth/sign-out, GET /api/me.
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { SignInLinkRequest, SignInRequest, type Me, type SignInLinkResponse } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { signInLinks, users } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { bearerToken } from '../auth/agent-bearer.ts';
import { draftSession, endSession, requireSession, setSessionCookie } from '../auth/phone-session.ts';
import { redeemSignInLink } from '../auth/sign-in-redeem.ts';
import { hashToken, mintToken, secretsEqual } from '../secret-token.ts';

/** How long a sign-in link lives, in ms. */
export const SIGN_IN_LINK_TTL_MS = 10 * 60 * 1000;

export const signInRoutes = new Hono<AppEnv>();

signInRoutes.post('/setup/sign-in-link', async (c) => {
  const presented = bearerToken(c);
  if (presented === null || !(await secretsEqual(presented, c.var.config.setupSecret))) {
    throw new ProblemError(401, 'unauthenticated', { detail: 'Authorization: Bearer <SETUP_SECRET> required' });
  }
  const { owner } = await readJson(c, SignInLinkRequest);
  const now = c.var.deps.now();
  await c.var.db.insert(users).values({ id: crypto.randomUUID(), name: owner, createdAt: now }).onConflictDoNothing();
  const [user] = await c.var.db.select({ id: users.id }).from(users).where(eq(users.name, owner)).limit(1);
  if (!user) throw new ProblemError(500, 'internal');
  const token = mintToken();
  const expiresAt = now + SIGN_IN_LINK_TTL_MS;
  await c.var.db.insert(signInLinks).values({
    id: crypto.randomUUID(),
    ownerId: user.id,
    tokenHash: await hashToken(token),
    createdAt: now,
    expiresAt,
  });
  const body: SignInLinkResponse = { url: `${new URL(c.req.url).origin}/#signin=${token}`, expiresAt, ownerId: user.id };
  return c.json(body, 201);
});

signInRoutes.post('/auth/sign-in', async (c) => {
  const { token } = await readJson(c, SignInRequest);
  const now = c.var.deps.now();
  const session = await draftSession(now);
  const ownerId = await redeemSignInLink(c.var.db, await hashToken(token), session.draft, now);
  if (ownerId === null) throw new ProblemError(401, 'unauthenticated', { detail: 'the sign-in link is unknown, used or expired' });
  setSessionCookie(c, session.token);
  const [user] = await c.var.db.select({ name: users.name }).from(users).where(eq(users.id, ownerId)).limit(1);
  const me: Me = { ownerId, name: user?.name ?? '' };
  return c.json(me);
});

signInRoutes.post('/auth/sign-out', requireSession, async (c) => {
  await endSession(c);
  return c.body(null, 204);
});

signInRoutes.get('/me', requireSession, (c) => {
  const me: Me = { ownerId: c.var.session.ownerId, name: c.var.session.name };
  return c.json(me);
});
