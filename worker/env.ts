// The one module that reads the Worker's environment: bindings, secrets and vars, parsed with zod.
// Invalid config is an error (a 500 problem naming the bad keys), never a silent default; values are never echoed.
import { z } from 'zod';
import { AGENT_OFFLINE_PUSH_MINUTES, LEASE_MS } from '../protocol/index.ts';
import { decodeBase64url } from './base64url.ts';

/** base64url without padding that decodes to exactly `bytes` bytes (as web-push's generateVAPIDKeys gives). */
const base64urlOf = (bytes: number, what: string) =>
  z.string().refine((s) => decodeBase64url(s)?.length === bytes, `must be base64url of ${what}`);

const isObjectWith = (key: string) => (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[key] === 'function';

const RawEnv = z.object({
  DB: z.custom<D1Database>(isObjectWith('prepare'), 'the D1 binding DB is missing'),
  ASSETS: z.custom<Fetcher>(isObjectWith('fetch'), 'the assets binding ASSETS is missing'),
  /** Bearer of Worker → room notifications (shared with the room). */
  ROOM_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** HMAC key of room tickets (shared with the room); kept apart from ROOM_SECRET. */
  TICKET_SECRET: z.string().min(32, 'must be at least 32 characters'),
  SETUP_SECRET: z.string().min(32, 'must be at least 32 characters'),
  PARTYKIT_HOST: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port'),
  PARTYKIT_PROTOCOL: z.enum(['http', 'https']).optional(),
  /** Lifetime of a device_code / user_code pair, in seconds (RFC 8628 `expires_in`). Tests shorten it. */
  DEVICE_CODE_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(600),
  /** Lease length in ms. Tests shorten it; agents are told the exact expiry in every claim/heartbeat. */
  LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(LEASE_MS),
  /** Optional WebAuthn overrides; by default the origin is the request's and rpId its hostname. */
  APP_ORIGIN: z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be scheme://host[:port]').optional(),
  RP_ID: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name').optional(),
  /** Web Push VAPID key pair (RFC 8292, `npm run push:keys`): all three or none (none: push off). */
  VAPID_PUBLIC_KEY: base64urlOf(65, 'a 65-byte uncompressed P-256 public key').optional(),
  VAPID_PRIVATE_KEY: base64urlOf(32, 'a 32-byte P-256 private key').optional(),
  /** Who runs this server, for push services to reach (RFC 8292 §2.1 `sub`): mailto: or https: URL. */
  VAPID_SUBJECT: z.string().regex(/^(mailto:[^\s]+|https:\/\/[^\s]+)$/, 'must be a mailto: or https: URL').optional(),
  /** "true" only in dev and tests: also accept http://127.0.0.1 / http://localhost push endpoints (a local stand-in). */
  PUSH_ALLOW_LOCAL_ENDPOINTS: z.enum(['true', 'false']).optional(),
  /**
   * How long an agent may be unseen before `agent-offline` is pushed, ms. Tests shorten it. At least 1 s: lastSeenAt
   * is rewritten at most once a minute, but at least every half of this time (auth/agent-bearer.ts seenResolutionMs),
   * so even a short value never reports an agent that keeps calling.
   */
  AGENT_OFFLINE_PUSH_MS: z.coerce.number().int().min(1000).max(7 * 24 * 3_600_000).default(AGENT_OFFLINE_PUSH_MINUTES * 60_000),
})
  .refine((e) => e.ROOM_SECRET !== e.TICKET_SECRET, { message: 'must differ from ROOM_SECRET', path: ['TICKET_SECRET'] })
  .refine((e) => new Set([e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY, e.VAPID_SUBJECT].map((v) => v === undefined)).size === 1, {
    message: 'set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together, or none of them',
    path: ['VAPID_PUBLIC_KEY'],
  });

/** The Worker's VAPID identity (RFC 8292): base64url keys as web-push takes them, and the `sub` claim. */
export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

/** The parsed configuration every route reads (through `c.var.config`). */
export type Config = {
  db: D1Database;
  assets: Fetcher;
  /** Bearer of room notifications. */
  roomSecret: string;
  /** HMAC key of room tickets. */
  ticketSecret: string;
  setupSecret: string;
  /** host:port of the PartyKit server, as handed to clients in room tickets. */
  partykitHost: string;
  /** `http://host:port` or `https://host`: where the Worker POSTs room notifications. */
  partykitOrigin: string;
  deviceCodeTtlSeconds: number;
  leaseMs: number;
  /** WebAuthn expected origin and rpId when set (else taken from the request: auth/relying-party.ts). */
  appOrigin: string | null;
  rpId: string | null;
  /** null: push is off (no VAPID keys configured). */
  vapid: VapidKeys | null;
  /** Accept http://127.0.0.1 and http://localhost push endpoints (dev and tests only). */
  pushAllowLocalEndpoints: boolean;
  /** An agent unseen this long (ms) gets one `agent-offline` push per outage. */
  agentOfflinePushMs: number;
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; error: string };

const isLocalHost = (host: string): boolean => /^(127\.0\.0\.1|localhost)(:|$)/.test(host);

/** Parse the Worker's `env`. On failure, `error` names each bad key and why (never its value). */
export function parseEnv(env: unknown): ConfigResult {
  const parsed = RawEnv.safeParse(env);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ');
    return { ok: false, error: `server misconfigured: ${where}` };
  }
  const e = parsed.data;
  const protocol = e.PARTYKIT_PROTOCOL ?? (isLocalHost(e.PARTYKIT_HOST) ? 'http' : 'https');
  return {
    ok: true,
    config: {
      db: e.DB,
      assets: e.ASSETS,
      roomSecret: e.ROOM_SECRET,
      ticketSecret: e.TICKET_SECRET,
      setupSecret: e.SETUP_SECRET,
      partykitHost: e.PARTYKIT_HOST,
      partykitOrigin: `${protocol}://${e.PARTYKIT_HOST}`,
      deviceCodeTtlSeconds: e.DEVICE_CODE_TTL_SECONDS,
      leaseMs: e.LEASE_MS,
      appOrigin: e.APP_ORIGIN ?? null,
      rpId: e.RP_ID ?? null,
      vapid:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY && e.VAPID_SUBJECT
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT }
          : null,
      pushAllowLocalEndpoints: e.PUSH_ALLOW_LOCAL_ENDPOINTS === 'true',
      agentOfflinePushMs: e.AGENT_OFFLINE_PUSH_MS,
    },
  };
}
