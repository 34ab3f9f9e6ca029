// Phone sessions and passkey management against real workerd + D1: idle and absolute expiry, lastUsedAt kept to the
// minute, listing and revoking sessions (the room told to close their sockets), sign-out, and listing, adding,
// renaming and removing passkeys — never the last one — each scoped to its owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasskeyList, PasskeyView, SessionList } from '../../protocol/index.ts';
import { sessionCookieOf } from '../../scripts/passkey-client.ts';
import { softAuthenticator, type SoftAuthenticator } from '../../scripts/soft-authenticator.ts';
import { auditOf, passkeyClient, sessionTokenHash, withD1 } from '../support/passkeys.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';
import { eventually, expectProblem, startRecorder } from '../support/worker-http.ts';

type Owner = { cookie: string; authenticator: SoftAuthenticator; ownerId: string };
const DAY = 24 * 60 * 60 * 1000;

describe('sessions and passkeys', () => {
  let worker: RunningWorker;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let pk: ReturnType<typeof passkeyClient>;
  let alice: Owner;
  let bob: Owner;

  beforeAll(async () => {
    recorder = await startRecorder();
    worker = await startWorker({ partykitHost: recorder.host });
    pk = passkeyClient(worker);
    alice = await pk.owner('alice');
    bob = await pk.owner('bob');
  });
  afterAll(async () => {
    await worker?.stop();
    await recorder?.close();
  });

  const setSession = (cookie: string, column: 'last_used_at' | 'expires_at' | 'passkey_verified_at', value: number) =>
    withD1(worker, (d1) => d1.prepare(`UPDATE sessions SET ${column} = ? WHERE token_hash = ?`).run(value, sessionTokenHash(cookie)));
  const sessionRow = (cookie: string) =>
    withD1(worker, (d1) => d1.prepare('SELECT id, last_used_at AS lastUsedAt, revoked_at AS revokedAt FROM sessions WHERE token_hash = ?').get(sessionTokenHash(cookie)) as { id: string; lastUsedAt: number; revokedAt: number | null });
  const newSession = async (owner: Owner) => sessionCookieOf(await pk.signIn(owner.authenticator));
  const sessions = async (cookie: string) => SessionList.parse(await (await pk.get('/api/sessions', cookie)).json()).sessions;
  const revokes = () => recorder.bodies().filter((b) => b.type === 'revoke');

  describe('expiry', () => {
    it('answers 401 for no cookie, an unknown one, and sessions past their idle or absolute expiry', async () => {
      await expectProblem(await pk.get('/api/me'), 401, 'unauthenticated');
      await expectProblem(await pk.get('/api/me', 'hearth_session=' + 'z'.repeat(43)), 401, 'unauthenticated');
      const idle = await newSession(alice);
      await setSession(idle, 'last_used_at', Date.now() - 7 * DAY - 60_000);
      await expectProblem(await pk.get('/api/me', idle), 401, 'unauthenticated');
      const nearlyIdle = await newSession(alice);
      await setSession(nearlyIdle, 'last_used_at', Date.now() - 7 * DAY + 60_000);
      expect((await pk.get('/api/me', nearlyIdle)).status).toBe(200);
      const old = await newSession(alice);
      await setSession(old, 'expires_at', Date.now() - 1);
      await expectProblem(await pk.get('/api/me', old), 401, 'unauthenticated');
    });

    it('moves lastUsedAt forward at most once a minute', async () => {
      const cookie = await newSession(alice);
      const twoMinutesAgo = Date.now() - 120_000;
      await setSession(cookie, 'last_used_at', twoMinutesAgo);
      expect((await pk.get('/api/me', cookie)).status).toBe(200);
      const touched = (await sessionRow(cookie)).lastUsedAt;
      expect(touched).toBeGreaterThan(twoMinutesAgo + 60_000);
      expect((await pk.get('/api/me', cookie)).status).toBe(200);
      expect((await sessionRow(cookie)).lastUsedAt).toBe(touched);
    });
  });

  describe('listing and revoking sessions', () => {
    it("lists the owner's live sessions only, newest first, marking the caller's", async () => {
      const cookie = await newSession(alice);
      const revokedOne = await newSession(alice);
      expect((await pk.post('/api/auth/sign-out', {}, revokedOne)).status).toBe(204);
      const list = await sessions(cookie);
      const mine = await sessionRow(cookie);
      expect(list.filter((s) => s.current).map((s) => s.id)).toEqual([mine.id]);
      expect(list.map((s) => s.id)).not.toContain((await sessionRow(revokedOne)).id);
      expect(list.map((s) => s.createdAt)).toEqual([...list.map((s) => s.createdAt)].sort((a, b) => b - a));
      expect(list.find((s) => s.current)).toMatchObject({ ip: '127.0.0.1', userAgent: 'node', credentialId: alice.authenticator.save()[0]!.id });
      const bobs = await sessions(bob.cookie);
      expect(bobs.map((s) => s.id)).not.toContain(mine.id);
      await expectProblem(await pk.get('/api/sessions'), 401, 'unauthenticated');
    });

    it('revokes a session: 401 for it from then on, its room sockets closed, audited; once (409)', async () => {
      const victim = await newSession(alice);
      const { id } = await sessionRow(victim);
      const res = await pk.del(`/api/sessions/${id}`, alice.cookie);
      expect(res.status).toBe(204);
      await expectProblem(await pk.get('/api/me', victim), 401, 'unauthenticated');
      await eventually(() => expect(revokes()).toContainEqual({ type: 'revoke', sid: id }));
      expect(recorder.seen.find((r) => r.body.type === 'revoke' && r.body.sid === id)?.path).toBe(`/parties/main/${alice.ownerId}`);
      expect((await auditOf(worker, alice.ownerId)).at(-1)).toMatchObject({ action: 'session-revoked', subject: id });
      await expectProblem(await pk.del(`/api/sessions/${id}`, alice.cookie), 409, 'conflict');
    });

    it("answers another owner's, an unknown or a malformed session id with 404, and no session with 401", async () => {
      const { id: bobsId } = await sessionRow(bob.cookie);
      await expectProblem(await pk.del(`/api/sessions/${bobsId}`, alice.cookie), 404, 'not-found');
      expect((await pk.get('/api/me', bob.cookie)).status).toBe(200);
      await expectProblem(await pk.del(`/api/sessions/${crypto.randomUUID()}`, alice.cookie), 404, 'not-found');
      await expectProblem(await pk.del('/api/sessions/not-an-id', alice.cookie), 404, 'not-found');
      await expectProblem(await pk.del(`/api/sessions/${bobsId}`), 401, 'unauthenticated');
    });

    it('signs out by revoking the current session and clearing the cookie', async () => {
      const cookie = await newSession(alice);
      const { id } = await sessionRow(cookie);
      const out = await pk.post('/api/auth/sign-out', {}, cookie);
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie()[0]).toMatch(/^hearth_session=;/);
      await expectProblem(await pk.get('/api/me', cookie), 401, 'unauthenticated');
      expect((await sessionRow(cookie)).revokedAt).toEqual(expect.any(Number));
      await eventually(() => expect(revokes()).toContainEqual({ type: 'revoke', sid: id }));
      expect((await auditOf(worker, alice.ownerId)).at(-1)).toMatchObject({ action: 'sign-out', actor: `session:${id}` });
      await expectProblem(await pk.post('/api/auth/sign-out', {}, cookie), 401, 'unauthenticated');
    });
  });

  describe('passkeys', () => {
    const list = async (cookie: string) => PasskeyList.parse(await (await pk.get('/api/passkeys', cookie)).json()).passkeys;

    it("lists the owner's passkeys only, marking the one this session signed in with", async () => {
      const mine = await list(alice.cookie);
      expect(mine).toEqual([expect.objectContaining({ id: alice.authenticator.save()[0]!.id, current: true, deviceType: 'singleDevice', backedUp: false })]);
      expect((await list(bob.cookie)).map((p) => p.id)).toEqual([bob.authenticator.save()[0]!.id]);
      await expectProblem(await pk.get('/api/passkeys'), 401, 'unauthenticated');
    });

    it('adds another passkey from a session whose passkey was verified in the last 5 minutes', async () => {
      const cookie = await newSession(alice);
      await setSession(cookie, 'passkey_verified_at', Date.now() - 6 * 60_000);
      await expectProblem(await pk.post('/api/passkeys/options', {}, cookie), 403, 'reverify-required');
      expect((await pk.reverify(cookie, alice.authenticator)).status).toBe(200);
      const { challengeId, options } = await pk.addOptions(cookie);
      expect(options.excludeCredentials?.map((d) => d.id)).toContain(alice.authenticator.save()[0]!.id);
      const secondPhone = softAuthenticator();
      const res = await pk.post('/api/passkeys', { challengeId, credential: secondPhone.create(options, worker.url), name: 'Second phone' }, cookie);
      expect(res.status).toBe(201);
      const view = PasskeyView.parse(await res.json());
      expect(view).toMatchObject({ id: secondPhone.save()[0]!.id, name: 'Second phone', current: false });
      expect((await list(alice.cookie)).map((p) => p.name)).toEqual(['Passkey', 'Second phone']) // no name sent: named from the user agent;
      expect((await auditOf(worker, alice.ownerId)).at(-1)).toMatchObject({ action: 'passkey-registered', subject: view.id });
      // The second phone signs in on its own.
      expect((await pk.signIn(secondPhone)).status).toBe(200);
      // A challenge issued to this session is spent and bound: reuse → 409; another session → 409.
      await expectProblem(await pk.post('/api/passkeys', { challengeId, credential: softAuthenticator().create(options, worker.url) }, cookie), 409, 'conflict');
      const other = await pk.addOptions(alice.cookie);
      await expectProblem(await pk.post('/api/passkeys', { challengeId: other.challengeId, credential: softAuthenticator().create(other.options, worker.url) }, cookie), 409, 'conflict');
      await expectProblem(await pk.post('/api/passkeys/options', {}), 401, 'unauthenticated');
    });

    it("renames a passkey; another owner's is 404", async () => {
      const id = alice.authenticator.save()[0]!.id;
      const res = await pk.patch(`/api/passkeys/${id}`, { name: '  Work laptop ' }, alice.cookie);
      expect(res.status).toBe(200);
      expect(PasskeyView.parse(await res.json())).toMatchObject({ id, name: 'Work laptop' });
      await expectProblem(await pk.patch(`/api/passkeys/${id}`, { name: 'mine now' }, bob.cookie), 404, 'not-found');
      await expectProblem(await pk.patch(`/api/passkeys/${id}`, { name: '' }, alice.cookie), 400, 'invalid-request');
      await expectProblem(await pk.patch(`/api/passkeys/${id}`, { name: 'x' }), 401, 'unauthenticated');
      expect((await list(alice.cookie)).find((p) => p.id === id)?.name).toBe('Work laptop');
    });

    it('removes a passkey and revokes the sessions it signed in; never the last one (409)', async () => {
      const carol = await pk.owner('carol');
      const spare = softAuthenticator();
      const { challengeId, options } = await pk.addOptions(carol.cookie);
      expect((await pk.post('/api/passkeys', { challengeId, credential: spare.create(options, worker.url) }, carol.cookie)).status).toBe(201);
      const spareId = spare.save()[0]!.id;
      const spareSession = await newSession({ ...carol, authenticator: spare });
      const { id: spareSessionId } = await sessionRow(spareSession);

      await expectProblem(await pk.del(`/api/passkeys/${spareId}`, alice.cookie), 404, 'not-found');
      await expectProblem(await pk.del(`/api/passkeys/${'A'.repeat(43)}`, carol.cookie), 404, 'not-found');
      await setSession(carol.cookie, 'passkey_verified_at', Date.now() - 6 * 60_000);
      await expectProblem(await pk.del(`/api/passkeys/${spareId}`, carol.cookie), 403, 'reverify-required');
      expect((await pk.reverify(carol.cookie, carol.authenticator)).status).toBe(200);

      expect((await pk.del(`/api/passkeys/${spareId}`, carol.cookie)).status).toBe(204);
      await expectProblem(await pk.get('/api/me', spareSession), 401, 'unauthenticated');
      await eventually(() => expect(revokes()).toContainEqual({ type: 'revoke', sid: spareSessionId }));
      expect((await auditOf(worker, carol.ownerId)).at(-1)).toMatchObject({ action: 'passkey-removed', subject: spareId, detail: { sessionsRevoked: 1 } });
      await expectProblem(await pk.signIn(spare), 401, 'unauthenticated');
      expect((await pk.get('/api/me', carol.cookie)).status).toBe(200);

      const lastId = carol.authenticator.save()[0]!.id;
      const last = await expectProblem(await pk.del(`/api/passkeys/${lastId}`, carol.cookie), 409, 'conflict');
      expect(last.detail).toMatch(/only passkey/);
      expect((await list(carol.cookie)).map((p) => p.id)).toEqual([lastId]);
    });

    it('keeps one passkey when two phones remove each other\'s at once', async () => {
      const dan = await pk.owner('dan');
      const other = softAuthenticator();
      const { challengeId, options } = await pk.addOptions(dan.cookie);
      expect((await pk.post('/api/passkeys', { challengeId, credential: other.create(options, worker.url) }, dan.cookie)).status).toBe(201);
      const otherSession = await newSession({ ...dan, authenticator: other });
      const results = await Promise.all([
        pk.del(`/api/passkeys/${other.save()[0]!.id}`, dan.cookie),
        pk.del(`/api/passkeys/${dan.authenticator.save()[0]!.id}`, otherSession),
      ]);
      // The winner's removal also revokes the loser's session, so the loser sees 409 (last passkey) or 401.
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 204)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409 || s === 401)).toHaveLength(1);
      expect(await withD1(worker, (d1) => d1.prepare('SELECT count(*) AS n FROM passkeys WHERE owner_id = ?').get(dan.ownerId))).toEqual({ n: 1 });
    });
  });
});
