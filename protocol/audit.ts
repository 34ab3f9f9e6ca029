// The audit log (issue 4): who did what, append-only and tamper-evident. Each owner's entries form a hash chain:
// entry n stores SHA-256(prevHash + "\n" + auditCanonical(entry n)), prevHash being entry n−1's hash (GENESIS first).
import { z } from 'zod';

/** What an entry records. */
export const AuditAction = z.enum([
  'setup-link-created',
  'passkey-registered',
  'passkey-removed',
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'session-revoked',
  'passkey-reverified',
  'pairing-approved',
  'pairing-denied',
  'device-paired',
  'device-revoked',
  'task-submitted',
  'task-cancelled',
  'follow-up-sent',
  'task-closed',
  'auto-allow-set',
  'approval-decided',
  'attachment-uploaded',
  'push-subscribed',
  'push-unsubscribed',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** The prevHash of an owner's first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One entry as stored and shown. `seq` counts from 1 per owner without gaps; `at` is epoch ms; `actor` is
 * `session:<id>`, `device:<id>`, `setup` or `system`; `subject` the id acted on (task, approval, device, session,
 * passkey); `detail` a small JSON object; `hash` and `prevHash` lowercase hex SHA-256.
 */
export const AuditEntry = z.object({
  ownerId: z.string(),
  seq: z.number().int().min(1),
  at: z.number().int(),
  action: AuditAction,
  actor: z.string().max(128),
  ip: z.string().max(64).nullable(),
  userAgent: z.string().max(512).nullable(),
  subject: z.string().max(128).nullable(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** JSON with object keys sorted at every depth: one text per value, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The text hashed for an entry: everything but `hash` and `prevHash`, canonical JSON. */
export const auditCanonical = (entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string =>
  canonicalJson({
    ownerId: entry.ownerId,
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    actor: entry.actor,
    ip: entry.ip,
    userAgent: entry.userAgent,
    subject: entry.subject,
    detail: entry.detail,
  });

/** The bytes SHA-256 is taken of for an entry (UTF-8 of this text). */
export const auditHashInput = (prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string =>
  `${prevHash}\n${auditCanonical(entry)}`;

/**
 * Whether an owner's whole chain verifies: `ok` with its length and head hash (null when empty), or the first seq
 * where it breaks and why (a missing or repeated seq, a prevHash that does not link, a hash that does not match).
 */
export const AuditChain = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int().min(0), head: z.string().regex(/^[0-9a-f]{64}$/).nullable() }),
  z.object({ ok: z.literal(false), brokenAt: z.number().int().min(1), reason: z.string().max(200) }),
]);
export type AuditChain = z.infer<typeof AuditChain>;

/**
 * GET /api/audit?before=<seq>: newest first, ≤ 100 per page; `nextBefore` pages further back (null at the start).
 * `chain` (the first page only, without `before`): whether the owner's whole chain verifies.
 */
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable(), chain: AuditChain.optional() });
export type AuditPage = z.infer<typeof AuditPage>;
