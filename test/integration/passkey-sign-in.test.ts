// Signing in with a passkey and proving one again, against real workerd + D1 with a software authenticator:
// discoverable sign-in, single-use purpose-bound challenges, origin/rpId/user-handle/counter checks, the audit trail,
// and the 5-minute re-verification that approving a pairing user_code needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceAuthorizationResponse, Me, ReverifyResponse } from '../../protocol/index.ts';
import { sessionCookieOf } from '../../scripts/passkey-client.ts';
import { softAuthenticator, type SoftAuthenticator } from '../../scripts/soft-authenticator.ts';
import { auditOf, passkeyClient, sessionTokenHash, withD1 } from '../support/passkeys.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';
import { expectProblem } from '../support/worker-http.ts';

describe('passkey sign-in and re-verification', () => {
  let worker: RunningWorker;
  let pk: ReturnType<typeof passkeyClient>;
  let alice: { cookie: string; authenticator: SoftAuthenticator; ownerId: string };
  let bob: { cookie: string; authenticator: SoftAuthenticator; ownerId: string };

  beforeAll(async () => {
    worker = await startWorker();
    pk = passkeyClient(worker);
    alice = await pk.owner('alice');
    bob = await pk.owner('bob');
  });
  afterAll(async () => {
    await worker?.stop();
  });

  const counterOf = (credentialId: string) =>
    withD1(worker, (d1) => (d1.prepare('SELECT counter FROM passkeys WHERE id = ?').get(credentialId) as { counter: number }).counter);
  const aliceCredential = () => alice.authenticator.save()[0]!;
  const failures = async (ownerId: string) => (await auditOf(worker, ownerId)).filter((a) => a.action === 'sign-in-failed');

  describe('sign-in', () => {
    it('signs in with a discoverable passkey: no user name, the counter stored, the sign-in audited', async () => {
      const { options } = await pk.signInOptions();
      expect(options).toMatchObject({ rpId: '127.0.0.1', userVerification: 'required' });
      expect(options.allowCredentials ?? []).toEqual([]);
      const res = await pk.signIn(alice.authenticator);
      expect(res.status).toBe(200);
      expect(Me.parse(await res.json())).toEqual({ ownerId: alice.ownerId, name: 'alice' });
      const cookie = sessionCookieOf(res);
      expect(cookie).not.toBe(alice.cookie);
      expect(Me.parse(await (await pk.get('/api/me', cookie)).json()).ownerId).toBe(alice.ownerId);
      expect(await counterOf(aliceCredential().id)).toBe(aliceCredential().signCount);
      const last = (await auditOf(worker, alice.ownerId)).at(-1);
      expect(last).toMatchObject({ action: 'sign-in', subject: aliceCredential().id });
      expect(last?.actor).toMatch(/^session:[0-9a-f-]{36}$/);
    });

    it('refuses a reused, expired, unknown or other-purpose challenge (409)', async () => {
      const { challengeId, options } = await pk.signInOptions();
      expect((await pk.post('/api/auth/passkey', { challengeId, credential: alice.authenticator.get(options, worker.url) })).status).toBe(200);
      await expectProblem(await pk.post('/api/auth/passkey', { challengeId, credential: alice.authenticator.get(options, worker.url) }), 409, 'conflict');

      const expiring = await pk.signInOptions();
      await withD1(worker, (d1) => d1.prepare('UPDATE webauthn_challenges SET expires_at = ? WHERE id = ?').run(Date.now() - 1, expiring.challengeId));
      await expectProblem(await pk.post('/api/auth/passkey', { challengeId: expiring.challengeId, credential: alice.authenticator.get(expiring.options, worker.url) }), 409, 'conflict');

      await expectProblem(await pk.post('/api/auth/passkey', { challengeId: crypto.randomUUID(), credential: alice.authenticator.get(options, worker.url) }), 409, 'conflict');

      // A re-verification challenge cannot sign anyone in.
      const reverify = await pk.reverifyOptions(alice.cookie);
      await expectProblem(await pk.post('/api/auth/passkey', { challengeId: reverify.challengeId, credential: alice.authenticator.get(reverify.options, worker.url) }), 409, 'conflict');
    });

    it('refuses an assertion made for another origin, rpId or ceremony type, and audits why', async () => {
      const before = (await failures(alice.ownerId)).length;
      for (const tweak of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { type: 'webauthn.create' }]) {
        const problem = await expectProblem(await pk.signIn(alice.authenticator, tweak), 401, 'unauthenticated');
        expect(problem.detail).toBe('the passkey was not accepted');
      }
      const logged = (await failures(alice.ownerId)).slice(before);
      expect(logged.map((f) => f.detail)).toEqual([
        { reason: 'origin', ceremony: 'authenticate' },
        { reason: 'rp-id', ceremony: 'authenticate' },
        { reason: 'invalid', ceremony: 'authenticate' },
      ]);
      expect(logged.every((f) => f.actor === 'system' && f.subject === aliceCredential().id)).toBe(true);
    });

    it('refuses a credential the Worker does not know (401, nothing audited for anyone)', async () => {
      const stranger = softAuthenticator();
      const { options } = await pk.setupOptions(await pk.setupToken('nobody-registers'));
      stranger.create(options, worker.url); // made on the device, never sent to the Worker
      const before = [(await auditOf(worker, alice.ownerId)).length, (await auditOf(worker, bob.ownerId)).length];
      await expectProblem(await pk.signIn(stranger), 401, 'unauthenticated');
      expect([(await auditOf(worker, alice.ownerId)).length, (await auditOf(worker, bob.ownerId)).length]).toEqual(before);
    });

    it('refuses an assertion whose user handle names another owner', async () => {
      const forged = softAuthenticator(alice.authenticator.save().map((c) => ({ ...c, userHandle: bob.authenticator.save()[0]!.userHandle })));
      await expectProblem(await pk.signIn(forged), 401, 'unauthenticated');
      expect((await failures(alice.ownerId)).at(-1)?.detail).toEqual({ reason: 'user-handle', ceremony: 'authenticate' });
    });

    it('refuses a signature counter that does not move (a cloned authenticator) and keeps the stored counter', async () => {
      const stored = await counterOf(aliceCredential().id);
      expect(stored).toBeGreaterThan(0);
      await expectProblem(await pk.signIn(alice.authenticator, { signCount: stored }), 401, 'unauthenticated');
      await expectProblem(await pk.signIn(alice.authenticator, { signCount: stored - 1 }), 401, 'unauthenticated');
      expect((await failures(alice.ownerId)).at(-1)?.detail).toEqual({ reason: 'counter-regression', ceremony: 'authenticate' });
      expect(await counterOf(aliceCredential().id)).toBe(stored);
      expect((await pk.signIn(alice.authenticator, { signCount: stored + 10 })).status).toBe(200);
      expect(await counterOf(aliceCredential().id)).toBe(stored + 10);
    });

    it('validates its input', async () => {
      await expectProblem(await pk.post('/api/auth/passkey/options', { user: 'alice' }), 400, 'invalid-request');
      const bad = await expectProblem(await pk.post('/api/auth/passkey', { challengeId: crypto.randomUUID() }), 400, 'invalid-request');
      expect(bad.invalidParams?.map((p) => p.path)).toContain('credential');
      const { challengeId, options } = await pk.signInOptions();
      const credential = alice.authenticator.get(options, worker.url);
      await expectProblem(await pk.post('/api/auth/passkey', { challengeId, credential: { ...credential, response: { ...credential.response, signature: 'not base64url!' } } }), 400, 'invalid-request');
    });
  });

  describe('re-verification', () => {
    const staleVerification = (cookie: string) =>
      withD1(worker, (d1) =>
        d1.prepare('UPDATE sessions SET passkey_verified_at = ? WHERE token_hash = ?').run(Date.now() - 5 * 60_000 - 1_000, sessionTokenHash(cookie)),
      );

    it('needs a session', async () => {
      await expectProblem(await pk.post('/api/auth/reverify/options', {}), 401, 'unauthenticated');
      await expectProblem(await pk.post('/api/auth/reverify', { challengeId: crypto.randomUUID(), credential: {} }), 401, 'unauthenticated');
    });

    it('proves a passkey again: passkeyVerifiedAt moves to now and is audited', async () => {
      await staleVerification(alice.cookie);
      const { options } = await pk.reverifyOptions(alice.cookie);
      expect(options.allowCredentials?.map((d) => d.id)).toEqual([aliceCredential().id]);
      const startedAt = Date.now();
      const res = await pk.reverify(alice.cookie, alice.authenticator);
      expect(res.status).toBe(200);
      const { passkeyVerifiedAt } = ReverifyResponse.parse(await res.json());
      expect(passkeyVerifiedAt).toBeGreaterThanOrEqual(startedAt - 1_000);
      const stored = await withD1(worker, (d1) => d1.prepare('SELECT passkey_verified_at AS v FROM sessions WHERE token_hash = ?').get(sessionTokenHash(alice.cookie)));
      expect(stored).toEqual({ v: passkeyVerifiedAt });
      expect((await auditOf(worker, alice.ownerId)).at(-1)).toMatchObject({ action: 'passkey-reverified', subject: aliceCredential().id });
    });

    it("refuses another owner's passkey and a challenge issued to another session", async () => {
      // Bob's passkey answering Alice's challenge.
      const { challengeId, options } = await pk.reverifyOptions(alice.cookie);
      const bobsAnswer = bob.authenticator.get({ ...options, allowCredentials: [] }, worker.url);
      await expectProblem(await pk.post('/api/auth/reverify', { challengeId, credential: bobsAnswer }, alice.cookie), 401, 'unauthenticated');
      // Alice's second session using the first session's challenge.
      const other = sessionCookieOf(await pk.signIn(alice.authenticator));
      const mine = await pk.reverifyOptions(alice.cookie);
      await expectProblem(await pk.post('/api/auth/reverify', { challengeId: mine.challengeId, credential: alice.authenticator.get(mine.options, worker.url) }, other), 409, 'conflict');
      // A sign-in challenge is not a re-verification challenge.
      const signIn = await pk.signInOptions();
      await expectProblem(await pk.post('/api/auth/reverify', { challengeId: signIn.challengeId, credential: alice.authenticator.get(signIn.options, worker.url) }, alice.cookie), 409, 'conflict');
    });

    it('gates approving a pairing user_code on a passkey verified in the last 5 minutes', async () => {
      const code = async () => DeviceAuthorizationResponse.parse(await (await pk.post('/api/device/code', { client_id: 'hearth-agent' })).json());
      const first = await code();
      await staleVerification(alice.cookie);
      const problem = await expectProblem(await pk.post('/api/device/approve', { user_code: first.user_code }, alice.cookie), 403, 'reverify-required');
      expect(problem.title).toMatch(/passkey/);
      // Denying needs no fresh passkey: it cannot let anything in.
      const second = await code();
      expect((await pk.post('/api/device/deny', { user_code: second.user_code }, alice.cookie)).status).toBe(204);
      expect((await pk.reverify(alice.cookie, alice.authenticator)).status).toBe(200);
      expect((await pk.post('/api/device/approve', { user_code: first.user_code }, alice.cookie)).status).toBe(204);
    });
  });
});

