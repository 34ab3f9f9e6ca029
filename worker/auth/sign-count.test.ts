import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../base64url.ts';
import { counterRegressed, signCountOf } from './sign-count.ts';

const authData = (count: number, extra = 0): string => {
  const bytes = new Uint8Array(37 + extra);
  bytes[32] = 0x05; // UP | UV
  new DataView(bytes.buffer).setUint32(33, count);
  return encodeBase64url(bytes);
};

describe('signCountOf', () => {
  it.each([0, 1, 258, 0xffffffff])('reads %i big-endian after the rpIdHash and flags', (n) => expect(signCountOf(authData(n))).toBe(n));
  it('ignores what follows (attested credential data, extensions)', () => expect(signCountOf(authData(7, 100))).toBe(7));
  it('is null for short or non-base64url data', () => {
    expect(signCountOf(encodeBase64url(new Uint8Array(36)))).toBeNull();
    expect(signCountOf('not base64url!')).toBeNull();
  });
});

describe('counterRegressed', () => {
  it.each<[number, number, boolean]>([
    [0, 0, false], // never counts (synced passkey)
    [0, 1, false],
    [5, 6, false],
    [5, 5, true], // replayed or cloned
    [5, 4, true],
    [5, 0, true], // a counting authenticator that reset
  ])('stored %i, presented %i → %s', (stored, presented, expected) => expect(counterRegressed(stored, presented)).toBe(expected));
});
