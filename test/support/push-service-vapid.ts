// Checks a push request's VAPID authorization (RFC 8292) the way a real push service does: the `vapid t=…, k=…`
// scheme, an ES256 JWT verified with k, and its aud / exp / sub claims. Pure: no server, no state.
import { createPublicKey, verify } from 'node:crypto';

/** The longest a VAPID JWT may live: RFC 8292 §2 says `exp` MUST NOT be more than 24 hours from the request. */
const MAX_JWT_LIFETIME_S = 24 * 60 * 60;

/** The claims a valid token carried, plus `k` (base64url of the sender's 65-byte P-256 public key). */
export type VapidClaims = { aud: string; exp: number; sub: string; k: string };

/** 401: no usable credentials at all; 403: credentials present but the signature or a claim is wrong. */
export type VapidResult = { ok: true; claims: VapidClaims } | { ok: false; status: 401 | 403; reason: string };

const fail = (status: 401 | 403, reason: string): VapidResult => ({ ok: false, status, reason });

/** Parse `vapid t=<jwt>, k=<key>` (RFC 8292 §3) into its two parameters; null when the shape is wrong. */
function parseAuthorization(header: string): { t: string; k: string } | null {
  const match = /^vapid\s+(.*)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  const params = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const t = params.get('t');
  const k = params.get('k');
  return t && k ? { t, k } : null;
}

function jsonSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : null;
  } catch {
    return null;
  }
}

/**
 * Verify an `Authorization` header for a push to `endpoint` at `nowMs`. Checks: the vapid scheme with t and k; k
 * is an uncompressed P-256 point (65 bytes, 0x04 first); the JWT header says ES256; its signature (raw r‖s, 64
 * bytes, RFC 7518 §3.4) verifies with k; `aud` is the endpoint's origin; `exp` is in the future and at most 24 h
 * ahead; `sub` is a mailto: or https: URL. `expectedKey`, when given, is the key the subscription was restricted to.
 */
export function verifyVapid(header: string | undefined, endpoint: string, nowMs: number, expectedKey?: string): VapidResult {
  if (!header) return fail(401, 'no Authorization header');
  const auth = parseAuthorization(header);
  if (!auth) return fail(401, 'Authorization is not `vapid t=<jwt>, k=<key>`');
  const point = Buffer.from(auth.k, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) return fail(401, 'k is not an uncompressed P-256 public key');
  if (expectedKey !== undefined && expectedKey !== auth.k) return fail(403, 'k is not the key this subscription was created with');
  const parts = auth.t.split('.');
  if (parts.length !== 3) return fail(401, 't is not a JWS compact token');
  const [head, body, sig] = parts as [string, string, string];
  const jwtHeader = jsonSegment(head);
  if (jwtHeader?.alg !== 'ES256') return fail(403, 'JWT alg is not ES256');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const signature = Buffer.from(sig, 'base64url');
  if (signature.length !== 64) return fail(403, 'JWT signature is not 64 bytes (r‖s)');
  if (!verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, signature)) {
    return fail(403, 'JWT signature does not verify with k');
  }
  const claims = jsonSegment(body);
  if (!claims) return fail(403, 'JWT claims are not a JSON object');
  const { aud, exp, sub } = claims;
  if (aud !== new URL(endpoint).origin) return fail(403, `JWT aud ${String(aud)} is not ${new URL(endpoint).origin}`);
  const nowS = Math.floor(nowMs / 1000);
  if (typeof exp !== 'number' || !Number.isInteger(exp)) return fail(403, 'JWT exp is not an integer');
  if (exp <= nowS) return fail(403, 'JWT has expired');
  if (exp > nowS + MAX_JWT_LIFETIME_S) return fail(403, 'JWT exp is more than 24 hours ahead');
  if (typeof sub !== 'string' || !/^(mailto:|https:)/.test(sub) || !URL.canParse(sub)) return fail(403, 'JWT sub is not a mailto: or https: URL');
  return { ok: true, claims: { aud, exp, sub, k: auth.k } };
}
