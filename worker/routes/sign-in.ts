// Signing in with a passkey (discoverable: no user name), proving a passkey again from a session, signing out.
// Routes: POST /api/auth/passkey/options, POST /api/auth/passkey, POST /api/auth/reverify/options,
// POST /api/auth/reverify, POST /api/auth/sign-out, GET /api/me.
import { Hono, type Context } from 'hono';
import { and, eq } from 'drizzle-orm';
import { AssertionRequest, EmptyRequest, type AuthenticationOptionsResponse, type Me, type ReverifyResponse } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { requestOrigin } from '../approvals/request-origin.ts';
import { audit } from '../audit/audit-append.ts';
import { sessions, users } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { limitSignInOwner } from '../rate-limit-rules.ts';
import { CEREMONY_BODY_BYTES, authenticationOptions, verifyAssertion, type StoredPasskey } from '../auth/passkey-ceremony.ts';
import { descriptorsOf, findPasskey, ownerPasskeys, passkeySubject, recordPasskeyUse } from '../auth/passkey-store.ts';
import { clearSessionCookie, draftSession, requireSession, revokeSession, sessionLive, setSessionCookie } from '../auth/phone-session.ts';
import { relyingParty } from '../auth/relying-party.ts';
import { issueChallenge, spendChallenge, type ChallengeBinding } from '../auth/webauthn-challenge.ts';
import { announce, revoked } from '../tasks/announce.ts';

export const signInRoutes = new Hono<AppEnv>();

const staleChallenge = () => new ProblemError(409, 'conflict', { detail: 'the challenge is unknown, used or expired: start again' });
const refused = () => new ProblemError(401, 'unauthenticated', { detail: 'the passkey was not accepted' });

/**
 * Spend the challenge of an assertion request and verify the assertion with the stored passkey it names; `ownerId`
 * limits the passkey to one owner (re-verification). Failures after the passkey's owner is known are audited as
 * `sign-in-failed`. Returns the passkey and its new counter; throws 409 (challenge), 429 (the owner's
 * SIGN_IN_PER_OWNER window is full) or 401.
 */
async function checkAssertion(
  c: Context<AppEnv>,
  request: AssertionRequest,
  purpose: 'authenticate' | 'reverify',
  binding: ChallengeBinding,
): Promise<{ passkey: StoredPasskey; counter: number; backedUp: boolean }> {
  const now = c.var.deps.now();
  const challenge = await spendChallenge(c.var.db, request.challengeId, purpose, binding, now);
  if (challenge === null) throw staleChallenge();
  const passkey = await findPasskey(c.var.db, request.credential.id);
  if (!passkey || (binding.ownerId !== undefined && passkey.ownerId !== binding.ownerId)) throw refused();
  await limitSignInOwner(c, passkey.ownerId);
  const result = await verifyAssertion(relyingParty(c.var.config, c.req.url), request.credential, challenge, passkey, purpose === 'authenticate');
  if (!result.ok) {
    const detail = { reason: result.failure, ceremony: purpose };
    await audit(c, { ownerId: passkey.ownerId, action: 'sign-in-failed', actor: 'system', subject: passkeySubject(passkey.id), detail });
    throw refused();
  }
  return { passkey, counter: result.counter, backedUp: result.backedUp };
}

signInRoutes.post('/auth/passkey/options', async (c) => {
  await readJson(c, EmptyRequest);
  const options = await authenticationOptions(relyingParty(c.var.config, c.req.url));
  const challengeId = await issueChallenge(c.var.db, options.challenge, 'authenticate', {}, c.var.deps.now());
  const body: AuthenticationOptionsResponse = { challengeId, options };
  return c.json(body);
});

signInRoutes.post('/auth/passkey', async (c) => {
  const request = await readJson(c, AssertionRequest, CEREMONY_BODY_BYTES);
  const { passkey, counter, backedUp } = await checkAssertion(c, request, 'authenticate', {});
  const db = c.var.db;
  const now = c.var.deps.now();
  const session = await draftSession(now, { ...requestOrigin(c.req.raw.headers), credentialId: passkey.id });
  await db.batch([recordPasskeyUse(db, passkey.id, { counter, backedUp }, now), db.insert(sessions).values({ ...session.draft, ownerId: passkey.ownerId })]);
  setSessionCookie(c, session.token);
  await audit(c, { ownerId: passkey.ownerId, action: 'sign-in', actor: `session:${session.draft.id}`, subject: passkeySubject(passkey.id) });
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, passkey.ownerId)).limit(1);
  const me: Me = { ownerId: passkey.ownerId, name: user?.name ?? '' };
  return c.json(me);
});

signInRoutes.post('/auth/reverify/options', requireSession, async (c) => {
  await readJson(c, EmptyRequest);
  const { ownerId, sessionId } = c.var.session;
  const allow = descriptorsOf(await ownerPasskeys(c.var.db, ownerId));
  const options = await authenticationOptions(relyingParty(c.var.config, c.req.url), allow);
  const challengeId = await issueChallenge(c.var.db, options.challenge, 'reverify', { ownerId, sessionId }, c.var.deps.now());
  const body: AuthenticationOptionsResponse = { challengeId, options };
  return c.json(body);
});

signInRoutes.post('/auth/reverify', requireSession, async (c) => {
  const request = await readJson(c, AssertionRequest, CEREMONY_BODY_BYTES);
  const { ownerId, sessionId } = c.var.session;
  const { passkey, counter, backedUp } = await checkAssertion(c, request, 'reverify', { ownerId, sessionId });
  const db = c.var.db;
  const now = c.var.deps.now();
  const [, updated] = await db.batch([
    recordPasskeyUse(db, passkey.id, { counter, backedUp }, now),
    db.update(sessions).set({ passkeyVerifiedAt: now }).where(and(eq(sessions.id, sessionId), sessionLive(now))).returning({ id: sessions.id }),
  ]);
  if (updated.length === 0) throw new ProblemError(401, 'unauthenticated', { detail: 'the session ended meanwhile' });
  await audit(c, { ownerId, action: 'passkey-reverified', actor: `session:${sessionId}`, subject: passkeySubject(passkey.id) });
  const body: ReverifyResponse = { passkeyVerifiedAt: now };
  return c.json(body);
});

signInRoutes.post('/auth/sign-out', requireSession, async (c) => {
  const { ownerId, sessionId } = c.var.session;
  await revokeSession(c.var.db, ownerId, sessionId, c.var.deps.now());
  clearSessionCookie(c);
  await audit(c, { ownerId, action: 'sign-out', actor: `session:${sessionId}`, subject: sessionId });
  announce(c, [revoked(ownerId, sessionId)]);
  return c.body(null, 204);
});

signInRoutes.get('/me', requireSession, (c) => {
  const me: Me = { ownerId: c.var.session.ownerId, name: c.var.session.name };
  return c.json(me);
});
