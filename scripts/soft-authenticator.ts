// A software WebAuthn authenticator in Node (node:crypto, ES256, attestation "none"): it answers the Worker's
// registration and authentication options the way a browser plus a platform authenticator would, so tests and
// `npm start` sign in through the real passkey ceremonies. Holds its keys in memory; save() gives them to keep.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { z } from 'zod';
import type { AuthenticationCredential, CreationOptions, RegistrationCredential, RequestOptions } from '../protocol/index.ts';
import { encodeCbor } from './cbor-encode.ts';

/** One discoverable credential the authenticator holds. `privateKey` is PKCS#8 DER, base64url. */
export const SoftCredential = z.object({
  id: z.string().min(1),
  rpId: z.string().min(1),
  userHandle: z.string(),
  privateKey: z.string().min(1),
  signCount: z.number().int().min(0),
});
export type SoftCredential = z.infer<typeof SoftCredential>;

/**
 * Ways to make an answer wrong on purpose (tests): another origin or rpId in what is signed, another type, a fixed
 * sign count, or a given credential instead of the first that fits.
 */
export type Tweak = { origin?: string; rpId?: string; type?: string; signCount?: number; credentialId?: string };

export type SoftAuthenticator = {
  /** navigator.credentials.create for `origin`: a new ES256 credential, or throws like a browser (excluded, no ES256). */
  create(options: CreationOptions, origin: string, tweak?: Tweak): RegistrationCredential;
  /** navigator.credentials.get for `origin`: an assertion by the first credential that fits (allowCredentials or rpId). */
  get(options: RequestOptions, origin: string, tweak?: Tweak): AuthenticationCredential;
  /** The credentials held, to save (their sign counts move with every get). */
  save(): SoftCredential[];
};

const ES256 = -7;
/** authenticatorData flags (WebAuthn §6.1): user present, user verified, attested credential data included. */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** rpIdHash ‖ flags ‖ signCount (big-endian) ‖ rest. */
function authenticatorData(rpId: string, flags: number, signCount: number, rest: Uint8Array = new Uint8Array()): Buffer {
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(signCount);
  return Buffer.concat([sha256(rpId), Buffer.of(flags), counter, rest]);
}

/** Make an authenticator holding `saved` credentials (none by default). */
export function softAuthenticator(saved: SoftCredential[] = []): SoftAuthenticator {
  const held = saved.map((c) => ({ ...c }));

  return {
    create(options, origin, tweak = {}) {
      if (!options.pubKeyCredParams.some((p) => p.alg === ES256)) throw new Error('NotSupportedError: ES256 is not offered');
      const rpId = options.rp.id ?? new URL(origin).hostname;
      const excluded = new Set((options.excludeCredentials ?? []).map((d) => d.id));
      if (held.some((c) => excluded.has(c.id) && c.rpId === rpId)) throw new Error('InvalidStateError: this authenticator is already registered');
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      if (!jwk.x || !jwk.y) throw new Error('P-256 key without coordinates');
      // COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1): kty EC2, alg ES256, crv P-256, x, y.
      const coseKey = encodeCbor(new Map<number, number | Uint8Array>([[1, 2], [3, ES256], [-1, 1], [-2, Buffer.from(jwk.x, 'base64url')], [-3, Buffer.from(jwk.y, 'base64url')]]));
      const id = randomBytes(32);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLength, id, coseKey]); // aaguid of zeros: "none" attestation
      const signCount = tweak.signCount ?? 0;
      const authData = authenticatorData(tweak.rpId ?? rpId, UP | UV | AT, signCount, attested);
      const attestationObject = encodeCbor({ fmt: 'none', attStmt: {}, authData });
      held.push({
        id: b64u(id),
        rpId,
        userHandle: options.user.id,
        privateKey: b64u(privateKey.export({ format: 'der', type: 'pkcs8' })),
        signCount,
      });
      return {
        id: b64u(id),
        rawId: b64u(id),
        type: 'public-key',
        response: {
          clientDataJSON: b64u(clientData(tweak.type ?? 'webauthn.create', options.challenge, tweak.origin ?? origin)),
          attestationObject: b64u(attestationObject),
          authenticatorData: b64u(authData),
          transports: ['internal'],
          publicKeyAlgorithm: ES256,
          publicKey: b64u(publicKey.export({ format: 'der', type: 'spki' })),
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      };
    },

    get(options, origin, tweak = {}) {
      const rpId = options.rpId ?? new URL(origin).hostname;
      const allowed = new Set((options.allowCredentials ?? []).map((d) => d.id));
      const credential = held.find((c) =>
        tweak.credentialId !== undefined ? c.id === tweak.credentialId : c.rpId === rpId && (allowed.size === 0 || allowed.has(c.id)),
      );
      if (!credential) throw new Error('NotAllowedError: no credential for this site');
      credential.signCount = tweak.signCount ?? credential.signCount + 1;
      const authData = authenticatorData(tweak.rpId ?? rpId, UP | UV, credential.signCount);
      const data = clientData(tweak.type ?? 'webauthn.get', options.challenge, tweak.origin ?? origin);
      const key = createPrivateKey({ key: Buffer.from(credential.privateKey, 'base64url'), format: 'der', type: 'pkcs8' });
      // ES256 signatures are DER-encoded ECDSA (WebAuthn §6.5.6), node:crypto's default encoding.
      const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), key);
      return {
        id: credential.id,
        rawId: credential.id,
        type: 'public-key',
        response: {
          clientDataJSON: b64u(data),
          authenticatorData: b64u(authData),
          signature: b64u(signature),
          userHandle: credential.userHandle,
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      };
    },

    save: () => held.map((c) => ({ ...c })),
  };
}

