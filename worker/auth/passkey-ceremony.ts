// Passkey ceremonies through @simplewebauthn/server: options for registration and authentication, and verifying
// what the authenticator answered. Pure apart from WebCrypto; D1 and challenges are the callers' business.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import {
  CreationOptions,
  RequestOptions,
  type AuthenticationCredential,
  type RegistrationCredential,
} from '../../protocol/index.ts';
import { decodeBase64url, encodeBase64url } from '../base64url.ts';
import { CHALLENGE_TTL_MS } from './webauthn-challenge.ts';
import { RP_NAME, type RelyingParty } from './relying-party.ts';
import { counterRegressed, signCountOf } from './sign-count.ts';

/** Cap for request bodies carrying a WebAuthn credential (an attestation object can be several KiB), bytes. */
export const CEREMONY_BODY_BYTES = 64 * 1024;

/** COSE algorithms accepted: EdDSA, ES256, RS256 (what platform authenticators and security keys use). */
const ALGORITHMS = [-8, -7, -257];

/** A stored passkey as the verifier needs it. `publicKey` is the COSE key, base64url. */
export type StoredPasskey = { id: string; ownerId: string; publicKey: string; counter: number; transports: string[] };

/** A verified new credential, ready to store. */
export type NewPasskey = {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
};

/** Why a ceremony was refused, for the audit log (never shown with client-supplied text). */
export type CeremonyFailure = 'origin' | 'rp-id' | 'challenge' | 'user-verification' | 'user-handle' | 'counter-regression' | 'signature' | 'invalid';

/** The user handle of an owner: the UTF-8 bytes of the owner id (no personal data; WebAuthn §14.6.1). */
export const userHandleOf = (ownerId: string): string => encodeBase64url(new TextEncoder().encode(ownerId));

/** Sort a library error into a CeremonyFailure by what it says; anything unrecognised is `invalid`. */
function failureOf(err: unknown): CeremonyFailure {
  const message = err instanceof Error ? err.message : '';
  if (/origin/i.test(message)) return 'origin';
  if (/RP ?ID/i.test(message)) return 'rp-id';
  if (/challenge/i.test(message)) return 'challenge';
  if (/user verification|not present/i.test(message)) return 'user-verification';
  if (/counter/i.test(message)) return 'counter-regression';
  if (/signature/i.test(message)) return 'signature';
  return 'invalid';
}

/**
 * Options for registering a discoverable passkey (resident key and user verification required, no attestation)
 * for owner `owner`, excluding the credentials it already has.
 */
export async function registrationOptions(rp: RelyingParty, owner: { id: string; name: string }, exclude: { id: string; transports: string[] }[]): Promise<CreationOptions> {
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpId,
    userName: owner.name,
    userDisplayName: owner.name,
    userID: Uint8Array.from(new TextEncoder().encode(owner.id)),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: exclude,
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  return CreationOptions.parse(options);
}

/** Options for an authentication: discoverable (no `allow`: sign-in) or limited to `allow` (re-verification). */
export async function authenticationOptions(rp: RelyingParty, allow?: { id: string; transports: string[] }[]): Promise<RequestOptions> {
  const options = await generateAuthenticationOptions({
    rpID: rp.rpId,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required',
    ...(allow ? { allowCredentials: allow } : {}),
  });
  return RequestOptions.parse(options);
}

/** Verify a registration answer against `challenge` and `rp`. */
export async function verifyRegistration(
  rp: RelyingParty,
  credential: RegistrationCredential,
  challenge: string,
): Promise<{ ok: true; passkey: NewPasskey } | { ok: false; failure: CeremonyFailure }> {
  try {
    const result = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) return { ok: false, failure: 'invalid' };
    const info = result.registrationInfo;
    return {
      ok: true,
      passkey: {
        id: info.credential.id,
        publicKey: encodeBase64url(info.credential.publicKey),
        counter: info.credential.counter,
        transports: (credential.response.transports ?? []).slice(0, 8),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
    };
  } catch (err) {
    return { ok: false, failure: failureOf(err) };
  }
}

/**
 * Verify an assertion by `stored` against `challenge` and `rp`: the user handle (when sent, and always for a
 * discoverable sign-in, `requireUserHandle`) must be the owner's, the counter must move (sign-count.ts), the
 * signature must check. Returns the counter to store.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  credential: AuthenticationCredential,
  challenge: string,
  stored: StoredPasskey,
  requireUserHandle: boolean,
): Promise<{ ok: true; counter: number; backedUp: boolean } | { ok: false; failure: CeremonyFailure }> {
  const handle = credential.response.userHandle;
  if ((handle === undefined && requireUserHandle) || (handle !== undefined && handle !== userHandleOf(stored.ownerId))) {
    return { ok: false, failure: 'user-handle' };
  }
  const presented = signCountOf(credential.response.authenticatorData);
  if (presented === null) return { ok: false, failure: 'invalid' };
  if (counterRegressed(stored.counter, presented)) return { ok: false, failure: 'counter-regression' };
  const publicKey = decodeBase64url(stored.publicKey);
  if (!publicKey) return { ok: false, failure: 'invalid' };
  try {
    const result = await verifyAuthenticationResponse({
      response: credential,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      credential: { id: stored.id, publicKey: Uint8Array.from(publicKey), counter: stored.counter, transports: stored.transports },
      requireUserVerification: true,
    });
    if (!result.verified) return { ok: false, failure: 'signature' };
    return { ok: true, counter: result.authenticationInfo.newCounter, backedUp: result.authenticationInfo.credentialBackedUp };
  } catch (err) {
    return { ok: false, failure: failureOf(err) };
  }
}
