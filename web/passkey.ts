// The phone's passkey ceremonies: options from the Worker → the browser's WebAuthn prompt (@simplewebauthn/browser)
// → the answer back to the Worker. Register from a setup link, sign in, re-verify, add another passkey. No DOM beyond
// the prompt.
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { Me, PasskeyView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { withReverify } from './with-reverify.ts';

export type PasskeyApi = Pick<Api, 'setupOptions' | 'setupPasskey' | 'signInOptions' | 'signInWithPasskey' | 'reverifyOptions' | 'reverify'>;

/** Open the setup link's ceremony: create a passkey for the link's owner and sign in (the Worker sets the cookie). */
export async function createPasskey(api: PasskeyApi, token: string): Promise<Me> {
  const { challengeId, options } = await api.setupOptions(token);
  const credential = await startRegistration({ optionsJSON: options });
  return api.setupPasskey(token, challengeId, credential);
}

/** Sign in with any passkey this device holds for the site (discoverable: the owner picks it in the prompt). */
export async function signInWithPasskey(api: PasskeyApi): Promise<Me> {
  const { challengeId, options } = await api.signInOptions();
  const credential = await startAuthentication({ optionsJSON: options });
  return api.signInWithPasskey(challengeId, credential);
}

/** Prove a passkey again for this session, for actions that need one verified in the last 5 minutes. */
export async function reverifyPasskey(api: PasskeyApi): Promise<void> {
  const { challengeId, options } = await api.reverifyOptions();
  const credential = await startAuthentication({ optionsJSON: options });
  await api.reverify(challengeId, credential);
}

/**
 * Register another passkey for the signed-in owner (a second phone, a security key) under `name` (the Worker names it
 * when absent). Starting needs a recent passkey check: on 403 `reverify-required` `reverify` runs the prompt first.
 */
export async function addPasskey(api: Pick<Api, 'addPasskeyOptions' | 'addPasskey'>, reverify: () => Promise<void>, name?: string): Promise<PasskeyView> {
  const { challengeId, options } = await withReverify(() => api.addPasskeyOptions(), reverify);
  const credential = await startRegistration({ optionsJSON: options });
  return api.addPasskey(challengeId, credential, name);
}
