// Passkeys (WebAuthn Level 3): the JSON the phone and the Worker exchange around a ceremony — options out, the
// authenticator's response back — and the passkey list. Binary fields are base64url; shapes follow the WebAuthn
// `toJSON()` forms that @simplewebauthn/browser produces and @simplewebauthn/server consumes.
import { z } from 'zod';
import { SetupToken } from './auth.ts';

/** base64url without padding (RFC 4648 §5), up to `max` characters. */
const b64u = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** A credential id: at most 1023 bytes (WebAuthn §5.8.3) = 1364 base64url characters. */
export const CredentialId = b64u(1364);

const Transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const Descriptor = z.object({ id: CredentialId, type: z.literal('public-key'), transports: z.array(Transport).max(8).optional() });
const Hint = z.enum(['hybrid', 'security-key', 'client-device']);
const Requirement = z.enum(['discouraged', 'preferred', 'required']);

/** PublicKeyCredentialCreationOptionsJSON (what `navigator.credentials.create` gets), as the Worker sends it. */
export const CreationOptions = z.object({
  rp: z.object({ id: z.string().max(253).optional(), name: z.string().max(64) }),
  user: z.object({ id: b64u(86), name: z.string().max(64), displayName: z.string().max(64) }),
  challenge: b64u(128),
  pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })).max(16),
  timeout: z.number().int().positive().optional(),
  excludeCredentials: z.array(Descriptor).max(100).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: Requirement.optional(),
      userVerification: Requirement.optional(),
    })
    .optional(),
  hints: z.array(Hint).max(3).optional(),
  attestation: z.enum(['none', 'indirect', 'direct', 'enterprise']).optional(),
});
export type CreationOptions = z.infer<typeof CreationOptions>;

/** PublicKeyCredentialRequestOptionsJSON (what `navigator.credentials.get` gets). Empty `allowCredentials`: discoverable. */
export const RequestOptions = z.object({
  challenge: b64u(128),
  timeout: z.number().int().positive().optional(),
  rpId: z.string().max(253).optional(),
  allowCredentials: z.array(Descriptor).max(100).optional(),
  userVerification: Requirement.optional(),
  hints: z.array(Hint).max(3).optional(),
});
export type RequestOptions = z.infer<typeof RequestOptions>;

const ClientExtensionResults = z.object({ credProps: z.object({ rk: z.boolean().optional() }).optional() });

/** RegistrationResponseJSON: a new credential from `navigator.credentials.create`. */
export const RegistrationCredential = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64u(4096),
    attestationObject: b64u(16_384),
    authenticatorData: b64u(8192).optional(),
    transports: z.array(z.string().max(32)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64u(4096).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ClientExtensionResults,
});
export type RegistrationCredential = z.infer<typeof RegistrationCredential>;

/** AuthenticationResponseJSON: an assertion from `navigator.credentials.get`. */
export const AuthenticationCredential = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64u(4096),
    authenticatorData: b64u(8192),
    signature: b64u(1024),
    userHandle: b64u(86).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: ClientExtensionResults,
});
export type AuthenticationCredential = z.infer<typeof AuthenticationCredential>;

/** The body of every `…/options` route: an empty JSON object. */
export const EmptyRequest = z.strictObject({});

/** A challenge row's id: the Worker's handle on the single-use challenge inside the options. */
export const ChallengeId = z.uuid();

/** Answer to every `…/options` route that starts a registration. */
export const RegistrationOptionsResponse = z.object({ challengeId: ChallengeId, options: CreationOptions });
export type RegistrationOptionsResponse = z.infer<typeof RegistrationOptionsResponse>;

/** Answer to every `…/options` route that starts an authentication (sign-in or re-verification). */
export const AuthenticationOptionsResponse = z.object({ challengeId: ChallengeId, options: RequestOptions });
export type AuthenticationOptionsResponse = z.infer<typeof AuthenticationOptionsResponse>;

/** A passkey's label as the owner sees it ("Pixel 9", "YubiKey"). */
export const PasskeyName = z.string().trim().min(1).max(64);

/** POST /api/setup/passkey/options: start registering a passkey with a setup link's token. */
export const SetupOptionsRequest = z.strictObject({ token: SetupToken });
export type SetupOptionsRequest = z.infer<typeof SetupOptionsRequest>;

/** POST /api/setup/passkey: finish it; spends the link and signs in. */
export const SetupPasskeyRequest = z.strictObject({
  token: SetupToken,
  challengeId: ChallengeId,
  credential: RegistrationCredential,
  name: PasskeyName.optional(),
});
export type SetupPasskeyRequest = z.infer<typeof SetupPasskeyRequest>;

/** POST /api/passkeys: register another passkey from a signed-in session (a second phone). */
export const AddPasskeyRequest = z.strictObject({ challengeId: ChallengeId, credential: RegistrationCredential, name: PasskeyName.optional() });
export type AddPasskeyRequest = z.infer<typeof AddPasskeyRequest>;

/** POST /api/auth/passkey (sign-in) and POST /api/auth/reverify: finish an authentication ceremony. */
export const AssertionRequest = z.strictObject({ challengeId: ChallengeId, credential: AuthenticationCredential });
export type AssertionRequest = z.infer<typeof AssertionRequest>;

/** POST /api/auth/reverify answer: when the session last proved a passkey (epoch ms). */
export const ReverifyResponse = z.object({ passkeyVerifiedAt: z.number().int() });
export type ReverifyResponse = z.infer<typeof ReverifyResponse>;

/** PATCH /api/passkeys/:id */
export const RenamePasskeyRequest = z.strictObject({ name: PasskeyName });
export type RenamePasskeyRequest = z.infer<typeof RenamePasskeyRequest>;

/**
 * One of the owner's passkeys. Times are epoch ms; `deviceType` is WebAuthn's `singleDevice`/`multiDevice` (synced);
 * `current` marks the passkey the calling session signed in with.
 */
export const PasskeyView = z.object({
  id: CredentialId,
  name: z.string(),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
  deviceType: z.enum(['singleDevice', 'multiDevice']).nullable(),
  backedUp: z.boolean().nullable(),
  current: z.boolean(),
});
export type PasskeyView = z.infer<typeof PasskeyView>;

/** GET /api/passkeys: oldest first. */
export const PasskeyList = z.object({ passkeys: z.array(PasskeyView) });
export type PasskeyList = z.infer<typeof PasskeyList>;

/** How long a passkey check counts as recent for sensitive actions (pairing an agent, adding or removing a passkey), ms. */
export const PASSKEY_RECENT_MS = 5 * 60 * 1000;
