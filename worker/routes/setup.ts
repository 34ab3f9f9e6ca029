// First run and new phones: SETUP_SECRET mints a one-time setup link; the link's holder registers a passkey for the
// link's owner and is signed in. Routes: POST /api/setup/link, POST /api/setup/passkey/options, POST /api/setup/passkey.
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { SetupLinkRequest, SetupOptionsRequest, SetupPasskeyRequest, type Me, type RegistrationOptionsResponse, type SetupLinkResponse } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { requestOrigin } from '../approvals/request-origin.ts';
import { audit } from '../audit/audit-append.ts';
import { passkeys } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { bearerToken } from '../auth/agent-bearer.ts';
import { CEREMONY_BODY_BYTES, registrationOptions, verifyRegistration } from '../auth/passkey-ceremony.ts';
import { defaultPasskeyName } from '../auth/passkey-name.ts';
import { descriptorsOf, ownerPasskeys, passkeySubject } from '../auth/passkey-store.ts';
import { draftSession, setSessionCookie } from '../auth/phone-session.ts';
import { relyingParty } from '../auth/relying-party.ts';
import { findSetupLink, mintSetupLink, redeemSetupLink } from '../auth/setup-link.ts';
import { issueChallenge, spendChallenge } from '../auth/webauthn-challenge.ts';
import { secretsEqual } from '../secret-token.ts';

const linkProblem = () => new ProblemError(401, 'unauthenticated', { detail: 'the setup link is unknown, used or expired' });

export const setupRoutes = new Hono<AppEnv>();

setupRoutes.post('/setup/link', async (c) => {
  const presented = bearerToken(c);
  if (presented === null || !(await secretsEqual(presented, c.var.config.setupSecret))) {
    throw new ProblemError(401, 'unauthenticated', { detail: 'Authorization: Bearer <SETUP_SECRET> required' });
  }
  const { owner } = await readJson(c, SetupLinkRequest);
  const link = await mintSetupLink(c.var.db, owner, c.var.deps.now());
  await audit(c, { ownerId: link.ownerId, action: 'setup-link-created', actor: 'setup', subject: link.linkId, detail: { expiresAt: link.expiresAt } });
  const body: SetupLinkResponse = {
    url: `${relyingParty(c.var.config, c.req.url).origin}/#setup=${link.token}`,
    expiresAt: link.expiresAt,
    ownerId: link.ownerId,
  };
  c.header('cache-control', 'no-store');
  return c.json(body, 201);
});

setupRoutes.post('/setup/passkey/options', async (c) => {
  const { token } = await readJson(c, SetupOptionsRequest);
  const now = c.var.deps.now();
  const link = await findSetupLink(c.var.db, token, now);
  if (!link) throw linkProblem();
  const existing = await ownerPasskeys(c.var.db, link.ownerId);
  const options = await registrationOptions(relyingParty(c.var.config, c.req.url), { id: link.ownerId, name: link.ownerName }, descriptorsOf(existing));
  const challengeId = await issueChallenge(c.var.db, options.challenge, 'register', { ownerId: link.ownerId, linkId: link.id }, now);
  const body: RegistrationOptionsResponse = { challengeId, options };
  return c.json(body);
});

setupRoutes.post('/setup/passkey', async (c) => {
  const request = await readJson(c, SetupPasskeyRequest, CEREMONY_BODY_BYTES);
  const db = c.var.db;
  const now = c.var.deps.now();
  const link = await findSetupLink(db, request.token, now);
  if (!link) throw linkProblem();
  const challenge = await spendChallenge(db, request.challengeId, 'register', { ownerId: link.ownerId, linkId: link.id }, now);
  if (challenge === null) throw new ProblemError(409, 'conflict', { detail: 'the challenge is unknown, used or expired: start again' });
  const verified = await verifyRegistration(relyingParty(c.var.config, c.req.url), request.credential, challenge);
  if (!verified.ok) throw new ProblemError(400, 'invalid-request', { detail: `the passkey did not verify (${verified.failure})` });
  const [taken] = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, verified.passkey.id)).limit(1);
  if (taken) throw new ProblemError(409, 'conflict', { detail: 'this passkey is already registered' });

  const from = requestOrigin(c.req.raw.headers);
  const name = request.name ?? defaultPasskeyName(from.userAgent);
  const session = await draftSession(now, { ...from, credentialId: verified.passkey.id });
  if (!(await redeemSetupLink(db, link.id, { ...verified.passkey, name }, session.draft, now))) throw linkProblem();
  setSessionCookie(c, session.token);
  const subject = passkeySubject(verified.passkey.id);
  await audit(c, { ownerId: link.ownerId, action: 'passkey-registered', actor: 'setup', subject, detail: { name, link: link.id } });
  await audit(c, { ownerId: link.ownerId, action: 'sign-in', actor: `session:${session.draft.id}`, subject, detail: { via: 'setup-link' } });
  const me: Me = { ownerId: link.ownerId, name: link.ownerName };
  return c.json(me);
});
