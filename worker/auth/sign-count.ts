// The WebAuthn signature counter: read from authenticator data, and the rule that flags a cloned authenticator.
// Pure; no I/O.
import { decodeBase64url } from '../base64url.ts';

/**
 * The signCount of base64url authenticator data (WebAuthn §6.1: rpIdHash 32 bytes, flags 1, signCount 4 big-endian),
 * or null when the data is too short or not base64url.
 */
export function signCountOf(authenticatorData: string): number | null {
  const bytes = decodeBase64url(authenticatorData);
  if (!bytes || bytes.length < 37) return null;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(33);
}

/**
 * True when `presented` does not move past `stored` although either is non-zero: the authenticator may have been
 * cloned (WebAuthn §7.2 step 21). Authenticators that never count (synced passkeys) send 0 every time.
 */
export const counterRegressed = (stored: number, presented: number): boolean => (presented > 0 || stored > 0) && presented <= stored;
