// RFC 8628 user codes: 8 letters from USER_CODE_ALPHABET, stored bare, shown as XXXX-XXXX (§6.1).
import { USER_CODE_ALPHABET } from '../protocol/index.ts';

const LENGTH = 8;
// Largest multiple of the alphabet size below 256: bytes at or above it are rejected so every letter is equally likely.
const ACCEPT_BELOW = 256 - (256 % USER_CODE_ALPHABET.length);

/** A fresh user code: 8 uniformly random letters from USER_CODE_ALPHABET (≈34.6 bits), without the dash. */
export function generateUserCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  let code = '';
  while (code.length < LENGTH) {
    for (const b of random(LENGTH * 2)) {
      if (b < ACCEPT_BELOW && code.length < LENGTH) code += USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length];
    }
  }
  return code;
}

/** The display form: `BCDF-GHJK`. */
export const formatUserCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;
