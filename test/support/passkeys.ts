// Test support for the passkey and session routes: a client that runs each ceremony step by step (so a test can
// tamper with any step through the software authenticator's Tweak), and readers of the rows the Worker wrote.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { AuthenticationOptionsResponse, Me, RegistrationOptionsResponse } from '../../protocol/index.ts';
import { mintSetupLink, sessionCookieOf, setupTokenOf } from '../../scripts/passkey-client.ts';
import { softAuthenticator, type SoftAuthenticator, type Tweak } from '../../scripts/soft-authenticator.ts';
import { withD1, type RunningWorker } from './worker.ts';

export { withD1 }; // its home is worker.ts; passkey tests import it from here
import { apiClient } from './worker-http.ts';

/** An audit entry as a test looks at it. */
export type AuditRow = { action: string; actor: string; subject: string | null; detail: Record<string, unknown> };

/**
 * Ceremony calls against `worker`, each POST sent as a same-origin browser would (JSON, Origin = the Worker's).
 * `cookie` is `hearth_session=…` where a session is needed.
 */
export function passkeyClient(worker: RunningWorker) {
  const api = apiClient(worker.url);
  const post = (path: string, body: unknown, cookie?: string) => api.post(path, body, cookie, { origin: worker.url });
  const registrationOptions = async (res: Response) => {
    expect(res.status).toBe(200);
    return RegistrationOptionsResponse.parse(await res.json());
  };
  const authenticationOptions = async (res: Response) => {
    expect(res.status).toBe(200);
    return AuthenticationOptionsResponse.parse(await res.json());
  };
  const setupToken = async (owner: string) => setupTokenOf(await mintSetupLink(worker.url, worker.setupSecret, owner));
  const setupOptions = async (token: string) => registrationOptions(await post('/api/setup/passkey/options', { token }));
  const signInOptions = async () => authenticationOptions(await post('/api/auth/passkey/options', {}));
  const reverifyOptions = async (cookie: string) => authenticationOptions(await post('/api/auth/reverify/options', {}, cookie));
  /** Register on `authenticator` through a new setup link for `owner`; the raw finishing response. */
  const register = async (owner: string, authenticator: SoftAuthenticator, tweak?: Tweak): Promise<Response> => {
    const token = await setupToken(owner);
    const { challengeId, options } = await setupOptions(token);
    return post('/api/setup/passkey', { token, challengeId, credential: authenticator.create(options, worker.url, tweak) });
  };
  return {
    post,
    get: (path: string, cookie?: string) => api.get(path, cookie),
    del: (path: string, cookie?: string) => api.raw(path, { method: 'DELETE', auth: cookie, headers: { origin: worker.url } }),
    patch: (path: string, body: unknown, cookie?: string) =>
      api.raw(path, { method: 'PATCH', auth: cookie, headers: { origin: worker.url, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    setupToken,
    setupOptions,
    signInOptions,
    reverifyOptions,
    addOptions: async (cookie: string) => registrationOptions(await post('/api/passkeys/options', {}, cookie)),
    register,
    /** Sign in with `authenticator`; the raw finishing response. */
    signIn: async (authenticator: SoftAuthenticator, tweak?: Tweak): Promise<Response> => {
      const { challengeId, options } = await signInOptions();
      return post('/api/auth/passkey', { challengeId, credential: authenticator.get(options, worker.url, tweak) });
    },
    /** Re-verify the session `cookie` with `authenticator`; the raw finishing response. */
    reverify: async (cookie: string, authenticator: SoftAuthenticator, tweak?: Tweak): Promise<Response> => {
      const { challengeId, options } = await reverifyOptions(cookie);
      return post('/api/auth/reverify', { challengeId, credential: authenticator.get(options, worker.url, tweak) }, cookie);
    },
    /** A new owner (or another passkey for an existing one) signed in: cookie, authenticator, owner id. */
    owner: async (name: string): Promise<{ cookie: string; authenticator: SoftAuthenticator; ownerId: string }> => {
      const authenticator = softAuthenticator();
      const res = await register(name, authenticator);
      expect(res.status).toBe(200);
      const { ownerId } = Me.parse(await res.json());
      return { cookie: sessionCookieOf(res), authenticator, ownerId };
    },
  };
}

/** `ownerId`'s audit entries in chain order. */
export const auditOf = (worker: RunningWorker, ownerId: string): Promise<AuditRow[]> =>
  withD1(worker, (d1) =>
    (d1.prepare('SELECT action, actor, subject, detail FROM audit_log WHERE owner_id = ? ORDER BY seq').all(ownerId) as { action: string; actor: string; subject: string | null; detail: string }[]).map(
      (r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }),
    ),
  );

/** The SHA-256 hex of a `hearth_session=<token>` cookie's token: the key the Worker stores its session under. */
export const sessionTokenHash = (cookie: string): string => createHash('sha256').update(cookie.slice('hearth_session='.length)).digest('hex');
