// The owner's side of the passkey ceremonies over HTTP, as the phone app runs them but with a software
// authenticator: register from a setup link, sign in, re-verify. Used by `npm start` and the tests.
import { AuthenticationOptionsResponse, RegistrationOptionsResponse, ReverifyResponse, SetupLinkResponse } from '../protocol/index.ts';
import type { SoftAuthenticator } from './soft-authenticator.ts';

async function expectOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what} failed: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** POST `body` as JSON with the page's Origin, as a browser would; `cookie` is `hearth_session=…` when signed in. */
export const postJson = (origin: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, ...headers }, body: JSON.stringify(body) });

/** The `hearth_session=<token>` pair of a response's Set-Cookie; throws when there is none. */
export function sessionCookieOf(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hearth_session='));
  if (!cookie) throw new Error('no hearth_session cookie was set');
  return cookie.split(';')[0] ?? '';
}

/** Mint a one-time setup link for `owner` (created on first use) with the setup secret. Returns the link URL. */
export async function mintSetupLink(origin: string, setupSecret: string, owner: string): Promise<string> {
  const res = await expectOk(await postJson(origin, '/api/setup/link', { owner }, { authorization: `Bearer ${setupSecret}` }), 'minting a setup link');
  return SetupLinkResponse.parse(await res.json()).url;
}

/** The token in a setup link's `#setup=` fragment. */
export const setupTokenOf = (link: string): string => new URL(link).hash.replace(/^#setup=/, '');

/**
 * Open a setup link: register a passkey on `authenticator` for the link's owner and sign in. Talks to the link's own
 * origin. Returns the session cookie (`hearth_session=…`).
 */
export async function registerWithLink(link: string, authenticator: SoftAuthenticator, name = 'Software passkey'): Promise<string> {
  const origin = new URL(link).origin;
  const token = setupTokenOf(link);
  const started = await expectOk(await postJson(origin, '/api/setup/passkey/options', { token }), 'starting passkey registration');
  const { challengeId, options } = RegistrationOptionsResponse.parse(await started.json());
  const credential = authenticator.create(options, origin);
  const done = await expectOk(await postJson(origin, '/api/setup/passkey', { token, challengeId, credential, name }), 'registering a passkey');
  return sessionCookieOf(done);
}

/** Sign in at `origin` with a passkey `authenticator` holds (discoverable). Returns the session cookie. */
export async function signInWithPasskey(origin: string, authenticator: SoftAuthenticator): Promise<string> {
  const started = await expectOk(await postJson(origin, '/api/auth/passkey/options', {}), 'starting passkey sign-in');
  const { challengeId, options } = AuthenticationOptionsResponse.parse(await started.json());
  const credential = authenticator.get(options, origin);
  return sessionCookieOf(await expectOk(await postJson(origin, '/api/auth/passkey', { challengeId, credential }), 'signing in with a passkey'));
}

/** Prove a passkey again for the session `cookie` (needed within 5 minutes before approving a pairing). */
export async function reverifyPasskey(origin: string, cookie: string, authenticator: SoftAuthenticator): Promise<number> {
  const started = await expectOk(await postJson(origin, '/api/auth/reverify/options', {}, { cookie }), 'starting re-verification');
  const { challengeId, options } = AuthenticationOptionsResponse.parse(await started.json());
  const credential = authenticator.get(options, origin);
  const done = await expectOk(await postJson(origin, '/api/auth/reverify', { challengeId, credential }, { cookie }), 're-verifying a passkey');
  return ReverifyResponse.parse(await done.json()).passkeyVerifiedAt;
}
