// Bearer secrets (setup links, sessions, device codes, agent tokens): minting, hashing and comparing.
// The Worker stores only SHA-256 hashes of these; a token itself is never stored or logged.
import { encodeBase64url } from './base64url.ts';

/** A fresh random secret: `bits` (multiple of 8; default 256) of CSPRNG output as base64url. */
export function mintToken(bits = 256): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(bits / 8)));
}

/** SHA-256 of the UTF-8 text, as lowercase hex (64 chars): the form tokens are stored and looked up in. */
export async function hashToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compare two secrets in time independent of where they differ (both are hashed first, so lengths match). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([hashToken(a), hashToken(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha.charCodeAt(i) ^ hb.charCodeAt(i);
  return diff === 0;
}
