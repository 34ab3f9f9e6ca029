// The owner's passkeys from a signed-in session: list, add another (a second phone), rename, remove.
// Adding and removing need a passkey verified in the last 5 minutes; the last passkey cannot be removed (409).
// Routes: GET /api/passkeys, POST /api/passkeys/options, POST /api/passkeys, PATCH /api/passkeys/:id, DELETE /api/passkeys/:id.
import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import {
  AddPasskeyRequest,
  CredentialId,
  EmptyRequest,
  RenamePasskeyRequest,
  type PasskeyList,
  type RegistrationOptionsResponse,
} from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { requestOrigin } from '../approvals/request-origin.ts';
import { audit } from '../audit/audit-append.ts';
import { passkeys } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { CEREMONY_BODY_BYTES, registrationOptions, verifyRegistration } from '../auth/passkey-ceremony.ts';
import { defaultPasskeyName } from '../auth/passkey-name.ts';
import { descriptorsOf, ownerPasskeys, passkeySubject, passkeyView, removePasskey } from '../auth/passkey-store.ts';
import { clearSessionCookie, requireSession } from '../auth/phone-session.ts';
import { requireRecentPasskey } from '../auth/recent-passkey.ts';
import { relyingParty } from '../auth/relying-party.ts';
import { issueChallenge, spendChallenge } from '../auth/webauthn-challenge.ts';
import { announce, revoked } from '../tasks/announce.ts';

export const passkeyRoutes = new Hono<AppEnv>();
passkeyRoutes.use('/passkeys', requireSession);
passkeyRoutes.use('/passkeys/*', requireSession);

/** The `:id` path parameter as a credential id; anything else is unknown (404), like another owner's. */
function credentialIdParam(raw: string): string {
  const parsed = CredentialId.safeParse(raw);
  if (!parsed.success) throw new ProblemError(404, 'not-found');
  return parsed.data;
}

passkeyRoutes.get('/passkeys', async (c) => {
  const rows = await ownerPasskeys(c.var.db, c.var.session.ownerId);
  const body: PasskeyList = { passkeys: rows.map((r) => passkeyView(r, c.var.session.credentialId)) };
  return c.json(body);
});

passkeyRoutes.post('/passkeys/options', requireRecentPasskey, async (c) => {
  await readJson(c, EmptyRequest);
  const { ownerId, sessionId, name } = c.var.session;
  const existing = await ownerPasskeys(c.var.db, ownerId);
  const options = await registrationOptions(relyingParty(c.var.config, c.req.url), { id: ownerId, name }, descriptorsOf(existing));
  const challengeId = await issueChallenge(c.var.db, options.challenge, 'register', { ownerId, sessionId }, c.var.deps.now());
  const body: RegistrationOptionsResponse = { challengeId, options };
  return c.json(body);
});

passkeyRoutes.post('/passkeys', requireRecentPasskey, async (c) => {
  const request = await readJson(c, AddPasskeyRequest, CEREMONY_BODY_BYTES);
  const { ownerId, sessionId } = c.var.session;
  const db = c.var.db;
  const now = c.var.deps.now();
  const challenge = await spendChallenge(db, request.challengeId, 'register', { ownerId, sessionId }, now);
  if (challenge === null) throw new ProblemError(409, 'conflict', { detail: 'the challenge is unknown, used or expired: start again' });
  const verified = await verifyRegistration(relyingParty(c.var.config, c.req.url), request.credential, challenge);
  if (!verified.ok) throw new ProblemError(400, 'invalid-request', { detail: `the passkey did not verify (${verified.failure})` });
  const p = verified.passkey;
  const name = request.name ?? defaultPasskeyName(requestOrigin(c.req.raw.headers).userAgent);
  const [row] = await db
    .insert(passkeys)
    .values({ id: p.id, ownerId, name, publicKey: p.publicKey, counter: p.counter, transports: JSON.stringify(p.transports), deviceType: p.deviceType, backedUp: p.backedUp, createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ProblemError(409, 'conflict', { detail: 'this passkey is already registered' });
  await audit(c, { ownerId, action: 'passkey-registered', actor: `session:${sessionId}`, subject: passkeySubject(p.id), detail: { name } });
  return c.json(passkeyView(row, c.var.session.credentialId), 201);
});

passkeyRoutes.patch('/passkeys/:id', async (c) => {
  const id = credentialIdParam(c.req.param('id'));
  const { name } = await readJson(c, RenamePasskeyRequest);
  const [row] = await c.var.db
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.id, id), eq(passkeys.ownerId, c.var.session.ownerId)))
    .returning();
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(passkeyView(row, c.var.session.credentialId));
});

passkeyRoutes.delete('/passkeys/:id', requireRecentPasskey, async (c) => {
  const id = credentialIdParam(c.req.param('id'));
  const { ownerId, sessionId } = c.var.session;
  const result = await removePasskey(c.var.db, ownerId, id, c.var.deps.now());
  if (result === 'unknown') throw new ProblemError(404, 'not-found');
  if (result === 'last') throw new ProblemError(409, 'conflict', { detail: 'this is your only passkey: add another before removing it' });
  if (result.revoked.includes(sessionId)) clearSessionCookie(c);
  await audit(c, { ownerId, action: 'passkey-removed', actor: `session:${sessionId}`, subject: passkeySubject(id), detail: { sessionsRevoked: result.revoked.length } });
  announce(c, result.revoked.map((sid) => revoked(ownerId, sid)));
  return c.body(null, 204);
});
