// Appending to an owner's audit chain (protocol/audit.ts). Append-only: nothing in the Worker updates or deletes
// audit_log rows. Two appends at once collide on the (owner, seq) primary key and the loser retries on the new head.
import type { Context } from 'hono';
import { desc, eq } from 'drizzle-orm';
import { GENESIS_HASH, auditHashInput, type AuditAction } from '../../protocol/index.ts';
import type { AppEnv, Db } from '../app-env.ts';
import { auditLog } from '../db/schema.ts';
import { requestOrigin } from '../approvals/request-origin.ts';
import { hashToken } from '../secret-token.ts';

/** What a caller says about an event; who and where come from the request. */
export type AuditEvent = {
  ownerId: string;
  action: AuditAction;
  /** `session:<id>`, `device:<id>`, `setup` or `system`. */
  actor: string;
  subject?: string | null;
  detail?: Record<string, unknown>;
};

const MAX_ATTEMPTS = 8;

/**
 * Append `event` at `at` (epoch ms) with the request's IP and user agent. Retries when another append took the same
 * seq; throws after MAX_ATTEMPTS collisions (the caller's 500; the action itself has already happened).
 */
export async function appendAudit(
  db: Db,
  event: AuditEvent,
  where: { ip: string | null; userAgent: string | null },
  at: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const [head] = await db
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(eq(auditLog.ownerId, event.ownerId))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const entry = {
      ownerId: event.ownerId,
      seq: (head?.seq ?? 0) + 1,
      at,
      action: event.action,
      actor: event.actor,
      ip: where.ip,
      userAgent: where.userAgent,
      subject: event.subject ?? null,
      detail: event.detail ?? {},
    };
    const prevHash = head?.hash ?? GENESIS_HASH;
    const hash = await hashToken(auditHashInput(prevHash, entry));
    const inserted = await db
      .insert(auditLog)
      .values({ ...entry, detail: JSON.stringify(entry.detail), prevHash, hash })
      .onConflictDoNothing()
      .returning({ seq: auditLog.seq });
    if (inserted.length > 0) return;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`audit append for ${event.action} lost ${MAX_ATTEMPTS} races for the chain head`);
  }
}

/** appendAudit for the request in `c`: its IP, user agent and clock. */
export const audit = (c: Context<AppEnv>, event: AuditEvent): Promise<void> =>
  appendAudit(c.var.db, event, requestOrigin(c.req.raw.headers), c.var.deps.now());
