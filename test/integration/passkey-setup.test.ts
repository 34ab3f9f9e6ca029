// First run against real workerd + D1: SETUP_SECRET mints a one-time setup link; its holder registers a passkey
// (the real WebAuthn ceremony, a software authenticator) and is signed in. Links and challenges work once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Me, SetupLinkResponse } from '../../protocol/index.ts';
import { sessionCookieOf } from '../../scripts/passkey-client.ts';
import { softAuthenticator } from '../../scripts/soft-authenticator.ts';
import { auditOf, passkeyClient, withD1 } from '../support/passkeys.ts';
import { startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient, expectProblem } from '../support/worker-http.ts';

describe('setup links and passkey registration', () => {
  let worker: RunningWorker;
  let pk: ReturnType<typeof passkeyClient>;

  beforeAll(async () => {
    worker = await startWorker();
    pk = passkeyClient(worker);
  });
  afterAll(async () => {
    await worker?.stop();
  });

  const mint = (owner: unknown, auth?: string) => apiClient(worker.url).post('/api/setup/link', { owner }, auth);

  it('mints a one-time link only with the setup secret', async () => {
    await expectProblem(await mint('carol'), 401, 'unauthenticated');
    await expectProblem(await mint('carol', 'Bearer ' + 'x'.repeat(43)), 401, 'unauthenticated');
    const ok = await mint('carol', `Bearer ${worker.setupSecret}`);
    expect(ok.status).toBe(201);
    const link = SetupLinkResponse.parse(await ok.json());
    expect(link.url).toMatch(new RegExp(`^${worker.url}/#setup=[A-Za-z0-9_-]{43}$`));
    expect(link.expiresAt).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(link.expiresAt).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
    const bad = await expectProblem(await mint('', `Bearer ${worker.setupSecret}`), 400, 'invalid-request');
    expect(bad.invalidParams?.[0]?.path).toBe('owner');
    expect(await auditOf(worker, link.ownerId)).toEqual([expect.objectContaining({ action: 'setup-link-created', actor: 'setup' })]);
  });

  it('registers a passkey from the link and signs in with a strict, Secure, HttpOnly cookie', async () => {
    const authenticator = softAuthenticator();
    const token = await pk.setupToken('dave');
    const { challengeId, options } = await pk.setupOptions(token);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.rp.id).toBe('127.0.0.1');
    expect(options.pubKeyCredParams.map((p) => p.alg)).toContain(-7);
    const credential = authenticator.create(options, worker.url);
    const res = await pk.post('/api/setup/passkey', { token, challengeId, credential, name: 'Pixel' });
    expect(res.status).toBe(200);
    const me = Me.parse(await res.json());
    expect(me.name).toBe('dave');
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^hearth_session=[A-Za-z0-9_-]{43};/);
    for (const attribute of [/HttpOnly/, /Secure/, /SameSite=Strict/, /Path=\//, /Max-Age=2592000/]) expect(cookie).toMatch(attribute);
    expect(Me.parse(await (await pk.get('/api/me', sessionCookieOf(res))).json())).toEqual(me);

    const rows = await withD1(worker, (d1) => ({
      passkeys: d1.prepare('SELECT id, name, counter, transports FROM passkeys WHERE owner_id = ?').all(me.ownerId),
      sessions: d1.prepare('SELECT ip, user_agent AS ua, credential_id AS cred, passkey_verified_at AS verified, revoked_at AS revoked FROM sessions WHERE owner_id = ?').all(me.ownerId),
      links: d1.prepare('SELECT used_at IS NOT NULL AS used FROM sign_in_links WHERE owner_id = ?').all(me.ownerId),
    }));
    expect(rows.passkeys).toEqual([{ id: credential.id, name: 'Pixel', counter: 0, transports: '["internal"]' }]);
    expect(rows.sessions).toEqual([{ ip: '127.0.0.1', ua: 'node', cred: credential.id, verified: expect.any(Number), revoked: null }]);
    expect(rows.links).toEqual([{ used: 1 }]);
    const audit = await auditOf(worker, me.ownerId);
    expect(audit.map((a) => [a.action, a.actor.split(':')[0]])).toEqual([['setup-link-created', 'setup'], ['passkey-registered', 'setup'], ['sign-in', 'session']]);
    expect(audit[1]).toMatchObject({ subject: credential.id, detail: { name: 'Pixel' } });

    // The link is spent: neither step works again.
    await expectProblem(await pk.post('/api/setup/passkey/options', { token }), 401, 'unauthenticated');
    await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId, credential }), 401, 'unauthenticated');
  });

  it('adds another passkey to an existing owner through a new link', async () => {
    const first = await pk.owner('erin');
    const second = await pk.owner('erin');
    expect(second.ownerId).toBe(first.ownerId);
    const count = await withD1(worker, (d1) => d1.prepare('SELECT count(*) AS n FROM passkeys WHERE owner_id = ?').get(first.ownerId));
    expect(count).toEqual({ n: 2 });
    // The options exclude the credentials the owner already has, so one authenticator is not registered twice.
    const { options } = await pk.setupOptions(await pk.setupToken('erin'));
    expect(options.excludeCredentials?.map((d) => d.id).sort()).toEqual([first.authenticator.save()[0]!.id, second.authenticator.save()[0]!.id].sort());
  });

  it('refuses an expired link, and a challenge that is reused, expired or issued for another link', async () => {
    const authenticator = softAuthenticator();
    const token = await pk.setupToken('fay');
    const { challengeId, options } = await pk.setupOptions(token);
    const other = await pk.setupToken('fay');
    // A challenge issued for one link does not work with another.
    await expectProblem(await pk.post('/api/setup/passkey', { token: other, challengeId, credential: authenticator.create(options, worker.url) }), 409, 'conflict');
    // A challenge is spent by its first use, even one that fails verification: a second answer is refused.
    await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId, credential: authenticator.create(options, worker.url, { origin: 'https://evil.example' }) }), 400, 'invalid-request');
    await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId, credential: authenticator.create(options, worker.url) }), 409, 'conflict');
    // An expired challenge.
    const fresh = await pk.setupOptions(token);
    await withD1(worker, (d1) => d1.prepare('UPDATE webauthn_challenges SET expires_at = ? WHERE id = ?').run(Date.now() - 1, fresh.challengeId));
    await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId: fresh.challengeId, credential: authenticator.create(fresh.options, worker.url) }), 409, 'conflict');
    // An unknown challenge id.
    await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId: crypto.randomUUID(), credential: authenticator.create(fresh.options, worker.url) }), 409, 'conflict');
    // An expired link.
    await withD1(worker, (d1) => d1.prepare("UPDATE sign_in_links SET expires_at = ? WHERE used_at IS NULL AND owner_id = (SELECT id FROM users WHERE name = 'fay')").run(Date.now() - 1));
    await expectProblem(await pk.post('/api/setup/passkey/options', { token }), 401, 'unauthenticated');
  });

  it('refuses a registration signed for another origin or rpId, and keeps the link for a good one', async () => {
    const token = await pk.setupToken('gus');
    for (const tweak of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { type: 'webauthn.get' }]) {
      const { challengeId, options } = await pk.setupOptions(token);
      const res = await pk.post('/api/setup/passkey', { token, challengeId, credential: softAuthenticator().create(options, worker.url, tweak) });
      const problem = await expectProblem(res, 400, 'invalid-request');
      expect(problem.detail).toMatch(/did not verify/);
    }
    const { challengeId, options } = await pk.setupOptions(token);
    const res = await pk.post('/api/setup/passkey', { token, challengeId, credential: softAuthenticator().create(options, worker.url) });
    expect(res.status).toBe(200);
    const ownerId = Me.parse(await res.json()).ownerId;
    expect(await withD1(worker, (d1) => d1.prepare('SELECT count(*) AS n FROM passkeys WHERE owner_id = ?').get(ownerId))).toEqual({ n: 1 });
  });

  it('validates its input', async () => {
    const token = await pk.setupToken('hal');
    await expectProblem(await pk.post('/api/setup/passkey/options', { token: 'short' }), 400, 'invalid-request');
    await expectProblem(await apiClient(worker.url).raw('/api/setup/passkey/options', { body: `{"token":"${token}"}`, headers: { 'content-type': 'text/plain' } }), 415, 'unsupported-media-type');
    const { challengeId } = await pk.setupOptions(token);
    const bad = await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId, credential: { id: 'x', type: 'public-key' } }), 400, 'invalid-request');
    expect(bad.invalidParams?.map((p) => p.path)).toEqual(expect.arrayContaining(['credential.rawId', 'credential.response']));
    await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId: 'not-a-uuid', credential: {} }), 400, 'invalid-request');
  });

  it('spends a link once when many registrations race: one passkey, one session', async () => {
    const token = await pk.setupToken('ivy');
    const attempts = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const { challengeId, options } = await pk.setupOptions(token);
        return { challengeId, credential: softAuthenticator().create(options, worker.url) };
      }),
    );
    const results = await Promise.all(attempts.map((a) => pk.post('/api/setup/passkey', { token, ...a })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    const ownerId = Me.parse(await results.find((r) => r.status === 200)!.json()).ownerId;
    const counts = await withD1(worker, (d1) => ({
      passkeys: d1.prepare('SELECT count(*) AS n FROM passkeys WHERE owner_id = ?').get(ownerId),
      sessions: d1.prepare('SELECT count(*) AS n FROM sessions WHERE owner_id = ?').get(ownerId),
    }));
    expect(counts).toEqual({ passkeys: { n: 1 }, sessions: { n: 1 } });
  });

  it('never half-spends a link: passkey, session and link change in one batch', async () => {
    const authenticator = softAuthenticator();
    const token = await pk.setupToken('jon');
    await withD1(worker, (d1) => d1.exec("CREATE TRIGGER fail_session BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
    try {
      const { challengeId, options } = await pk.setupOptions(token);
      await expectProblem(await pk.post('/api/setup/passkey', { token, challengeId, credential: authenticator.create(options, worker.url) }), 500, 'internal');
    } finally {
      await withD1(worker, (d1) => d1.exec('DROP TRIGGER IF EXISTS fail_session'));
    }
    const state = await withD1(worker, (d1) => ({
      passkeys: d1.prepare("SELECT count(*) AS n FROM passkeys WHERE owner_id = (SELECT id FROM users WHERE name = 'jon')").get(),
      unused: d1.prepare("SELECT count(*) AS n FROM sign_in_links WHERE used_at IS NULL AND owner_id = (SELECT id FROM users WHERE name = 'jon')").get(),
    }));
    expect(state).toEqual({ passkeys: { n: 0 }, unused: { n: 1 } });
    const { challengeId, options } = await pk.setupOptions(token);
    const res = await pk.post('/api/setup/passkey', { token, challengeId, credential: softAuthenticator().create(options, worker.url) });
    expect(res.status).toBe(200);
  });
});
