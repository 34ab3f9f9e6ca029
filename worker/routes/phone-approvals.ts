// The phone's approval API (session): list, read, decide. Scoped to the session's owner; another owner's approval
// answers exactly like an unknown one (404). A decision is one conditional UPDATE: never two (DESIGN.md rule 4, 7).
import { Hono } from 'hono';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { DecisionRequest, type ApprovalList } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../audit/audit-append.ts';
import { approvals } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError, invalidParamsOf } from '../problem.ts';
import { requireSession } from '../auth/phone-session.ts';
import { approvalIdParam } from '../approvals/approval-id.ts';
import { settleApproval } from '../approvals/approval-settle.ts';
import { toApprovalView } from '../approvals/approval-view.ts';
import { whyNotDecided } from '../approvals/decision-miss.ts';
import { requestOrigin } from '../approvals/request-origin.ts';
import { announce, approvalChanged, taskChanged } from '../tasks/announce.ts';
import { sweepOwner } from '../tasks/due-sweep.ts';

/** Most approvals returned by GET /api/approvals. */
export const APPROVAL_LIST_LIMIT = 100;

/** `?status=pending` (default: soonest deadline first) or `?status=all` (newest first). */
const ListQuery = z.strictObject({ status: z.enum(['pending', 'all']).default('pending') });

export const phoneApprovalRoutes = new Hono<AppEnv>();
phoneApprovalRoutes.use('/approvals', requireSession);
phoneApprovalRoutes.use('/approvals/*', requireSession);

phoneApprovalRoutes.get('/approvals', async (c) => {
  const query = ListQuery.safeParse(c.req.query());
  if (!query.success) throw new ProblemError(400, 'invalid-request', { detail: 'bad query', invalidParams: invalidParamsOf(query.error) });
  const { ownerId } = c.var.session;
  await sweepOwner(c, ownerId);
  const pendingOnly = query.data.status === 'pending';
  const rows = await c.var.db
    .select()
    .from(approvals)
    .where(and(eq(approvals.ownerId, ownerId), pendingOnly ? eq(approvals.status, 'pending') : undefined))
    .orderBy(...(pendingOnly ? [asc(approvals.deadlineAt), asc(approvals.createdAt)] : [desc(approvals.createdAt), desc(sql`rowid`)]))
    .limit(APPROVAL_LIST_LIMIT);
  const body: ApprovalList = { approvals: rows.map(toApprovalView) };
  return c.json(body);
});

phoneApprovalRoutes.get('/approvals/:id', async (c) => {
  const id = approvalIdParam(c);
  const { ownerId } = c.var.session;
  await sweepOwner(c, ownerId);
  const [row] = await c.var.db.select().from(approvals).where(and(eq(approvals.id, id), eq(approvals.ownerId, ownerId))).limit(1);
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toApprovalView(row));
});

/**
 * Allow or deny, once: 200 ApprovalView (allowed/denied), recording the session, IP, user agent and time. The
 * UPDATE checks pending, the deadline (at write time, so a decision queued while offline cannot land late) and
 * the input hash; a miss is 404 (unknown) or 409 saying why (already decided, expired, input changed).
 */
phoneApprovalRoutes.post('/approvals/:id/decision', async (c) => {
  const id = approvalIdParam(c);
  const body = await readJson(c, DecisionRequest);
  const { ownerId, sessionId } = c.var.session;
  await sweepOwner(c, ownerId);
  const now = c.var.deps.now();
  const { ip, userAgent } = requestOrigin(c.req.raw.headers);
  const to = body.decision === 'allow' ? 'allowed' : 'denied';
  const { row, resumed } = await settleApproval(c.var.db, { id, ownerId, to, by: `session:${sessionId}`, now, inputHash: body.inputHash, ip, userAgent });
  if (row) {
    announce(c, [approvalChanged(ownerId, id, row.taskId, to), ...resumed.map((t) => taskChanged(t.ownerId, t.id, 'running'))]);
    await audit(c, { ownerId, action: 'approval-decided', actor: `session:${sessionId}`, subject: id, detail: { decision: to, approvalId: id, taskId: row.taskId } });
    return c.json(toApprovalView(row));
  }
  await sweepOwner(c, ownerId); // the deadline may have passed since the first sweep: record and announce it
  const [existing] = await c.var.db.select().from(approvals).where(and(eq(approvals.id, id), eq(approvals.ownerId, ownerId))).limit(1);
  const miss = whyNotDecided(existing ?? null, { inputHash: body.inputHash, now });
  if (miss.status === 404) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail: miss.detail });
});
