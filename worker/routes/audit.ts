// GET /api/audit (session): the owner's audit log, newest first, and on the first page whether the whole chain still
// verifies. Read-only: nothing in the Worker updates or deletes audit_log rows.
import { Hono } from 'hono';
import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import { z } from 'zod';
import { AuditEntry, type AuditPage } from '../../protocol/index.ts';
import type { AppEnv, Db } from '../app-env.ts';
import { chainVerifier, type StoredAuditRow } from '../audit/audit-verify.ts';
import { requireSession } from '../auth/phone-session.ts';
import { auditLog } from '../db/schema.ts';
import { ProblemError, invalidParamsOf } from '../problem.ts';

/** Most entries on one page. */
export const AUDIT_PAGE_LIMIT = 100;
/** Rows read per query while verifying a whole chain. */
const VERIFY_BATCH = 1000;

/** `?before=<seq>`: entries with a smaller seq (the next page back); absent for the newest page. */
const PageQuery = z.strictObject({ before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() });

/** A stored row as an AuditEntry, or null when it no longer parses (tampered rows still count in `chain`). */
function toEntry(row: StoredAuditRow): AuditEntry | null {
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail);
  } catch {
    return null;
  }
  const parsed = AuditEntry.safeParse({ ...row, detail });
  return parsed.success ? parsed.data : null;
}

/** Verify `ownerId`'s whole chain, reading it oldest first in batches. */
async function verifyOwnerChain(db: Db, ownerId: string) {
  const verifier = chainVerifier();
  for (let after = 0; ; ) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.ownerId, ownerId), gt(auditLog.seq, after)))
      .orderBy(asc(auditLog.seq))
      .limit(VERIFY_BATCH);
    await verifier.push(rows);
    const last = rows.at(-1);
    if (rows.length < VERIFY_BATCH || !last) break;
    after = last.seq;
  }
  return verifier.result();
}

export const auditRoutes = new Hono<AppEnv>();
auditRoutes.use('/audit', requireSession);

/**
 * 200 AuditPage: ≤ 100 entries with seq < `before` (all when absent), newest first; `nextBefore` the oldest seq
 * shown while older ones exist, else null; `chain` only without `before`. Rows that no longer parse are left out.
 */
auditRoutes.get('/audit', async (c) => {
  const query = PageQuery.safeParse(c.req.query());
  if (!query.success) throw new ProblemError(400, 'invalid-request', { detail: 'bad query', invalidParams: invalidParamsOf(query.error) });
  const { before } = query.data;
  const { ownerId } = c.var.session;
  const rows = await c.var.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.ownerId, ownerId), before === undefined ? undefined : lt(auditLog.seq, before)))
    .orderBy(desc(auditLog.seq))
    .limit(AUDIT_PAGE_LIMIT);
  const oldest = rows.at(-1)?.seq;
  const body: AuditPage = {
    entries: rows.map(toEntry).filter((e): e is AuditEntry => e !== null),
    nextBefore: oldest !== undefined && oldest > 1 ? oldest : null,
    ...(before === undefined ? { chain: await verifyOwnerChain(c.var.db, ownerId) } : {}),
  };
  c.header('cache-control', 'no-store');
  return c.json(body);
});
