// The software authenticator that tests and `npm start` sign in with speaks real WebAuthn: its CBOR matches RFC 8949's
// examples, and @simplewebauthn/server (the Worker's verifier, here in Node) accepts its registrations and assertions.
import { describe, expect, it } from 'vitest';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { CreationOptions, RequestOptions } from '../../protocol/index.ts';
import { encodeCbor, type CborValue } from '../../scripts/cbor-encode.ts';
import { softAuthenticator } from '../../scripts/soft-authenticator.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('encodeCbor', () => {
  // RFC 8949 Appendix A.
  it.each<[CborValue, string]>([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [100, '1864'],
    [1000, '1903e8'],
    [1000000, '1a000f4240'],
    [1000000000000, '1b000000e8d4a51000'],
    [-1, '20'],
    [-100, '3863'],
    [-1000, '3903e7'],
    [false, 'f4'],
    [true, 'f5'],
    [null, 'f6'],
    [new Uint8Array([1, 2, 3, 4]), '4401020304'],
    ['', '60'],
    ['IETF', '6449455446'],
    ['ü', '62c3bc'],
    [[], '80'],
    [[1, [2, 3], [4, 5]], '8301820203820405'],
    [{}, 'a0'],
    [new Map<number, CborValue>([[1, 2], [3, 4]]), 'a201020304'],
    [{ a: 1, b: [2, 3] }, 'a26161016162820203'],
  ])('%o → %s', (value, expected) => expect(hex(encodeCbor(value))).toBe(expected));

  it('refuses floats', () => expect(() => encodeCbor(1.5)).toThrow(/safe integer/));
});

describe('softAuthenticator', () => {
  const origin = 'https://hearth.example';
  const rpID = 'hearth.example';
  const userID = new TextEncoder().encode('owner-1');

  const register = async () => {
    const options = CreationOptions.parse(await generateRegistrationOptions({ rpName: 'Hearth', rpID, userName: 'me', userID, attestationType: 'none' }));
    const authenticator = softAuthenticator();
    const credential = authenticator.create(options, origin);
    const verified = await verifyRegistrationResponse({ response: credential, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID });
    if (!verified.verified) throw new Error('registration did not verify');
    return { authenticator, credential, info: verified.registrationInfo };
  };

  it('registers an ES256 credential with "none" attestation that the server verifies', async () => {
    const { credential, info } = await register();
    expect(info.fmt).toBe('none');
    expect(info.userVerified).toBe(true);
    expect(info.credential.id).toBe(credential.id);
    expect(info.credential.counter).toBe(0);
  });

  it('signs assertions the server verifies with the stored key, the counter moving each time', async () => {
    const { authenticator, info } = await register();
    let counter = info.credential.counter;
    for (const expected of [1, 2]) {
      const options = RequestOptions.parse(await generateAuthenticationOptions({ rpID, userVerification: 'required' }));
      const assertion = authenticator.get(options, origin);
      expect(assertion.response.userHandle).toBe(Buffer.from(userID).toString('base64url'));
      const result = await verifyAuthenticationResponse({
        response: assertion,
        expectedChallenge: options.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: { ...info.credential, counter },
      });
      expect(result).toMatchObject({ verified: true, authenticationInfo: { newCounter: expected, userVerified: true } });
      counter = result.authenticationInfo.newCounter;
    }
  });

  it('keeps its credentials across save() and a new instance', async () => {
    const { authenticator, info } = await register();
    const again = softAuthenticator(authenticator.save());
    const options = RequestOptions.parse(await generateAuthenticationOptions({ rpID }));
    const result = await verifyAuthenticationResponse({
      response: again.get(options, origin),
      expectedChallenge: options.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: info.credential,
    });
    expect(result.verified).toBe(true);
  });

  it('refuses like a browser: an excluded credential, no credential for the site', async () => {
    const { authenticator, credential } = await register();
    const options = CreationOptions.parse(
      await generateRegistrationOptions({ rpName: 'Hearth', rpID, userName: 'me', userID, excludeCredentials: [{ id: credential.id }] }),
    );
    expect(() => authenticator.create(options, origin)).toThrow(/InvalidStateError/);
    const elsewhere = RequestOptions.parse(await generateAuthenticationOptions({ rpID: 'other.example' }));
    expect(() => authenticator.get(elsewhere, 'https://other.example')).toThrow(/NotAllowedError/);
  });
});
