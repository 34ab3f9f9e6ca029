// The home agent's approval API (bearer): open an approval for a task it holds, read one it opened, withdraw it.
// Scoped to the agent's owner and to approvals this agent opened; anything else answers like an unknown id (404).
import { Hono, type Context } from 'hono';
import { and, eq } from 'drizzle-orm';
import { CreateApprovalRequest } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { approvals, tasks } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { openApproval } from '../approvals/approval-open.ts';
import { approvalIdParam } from '../approvals/approval-id.ts';
import { settleApproval } from '../approvals/approval-settle.ts';
import { toApprovalView } from '../approvals/approval-view.ts';
import { whyNotDecided } from '../approvals/decision-miss.ts';
import { schedulePushes } from '../push/push-dispatch.ts';
import { approvalPush } from '../push/push-message.ts';
import { announce, approvalChanged, taskChanged } from '../tasks/announce.ts';
import { sweepOwner } from '../tasks/due-sweep.ts';
import { taskIdParam } from '../tasks/task-id.ts';

/**
 * Body cap for opening an approval, in bytes: the request's strings (detail 32 Ki + summary 2000 + cwd 4096 +
 * tool 128 UTF-16 units) at worst 6 bytes each when JSON-escaped (~229 KiB), plus the envelope.
 */
export const CREATE_APPROVAL_BODY_BYTES = 256 * 1024;

export const agentApprovalRoutes = new Hono<AppEnv>();
agentApprovalRoutes.use('/agent/tasks/:id/approvals', requireAgent);
agentApprovalRoutes.use('/agent/approvals/*', requireAgent);

/** This agent's approval row (of its owner, opened by it), or null. */
async function myApproval(c: Context<AppEnv>, id: string) {
  const { ownerId, deviceId } = c.var.agent;
  const [row] = await c.var.db
    .select()
    .from(approvals)
    .where(and(eq(approvals.id, id), eq(approvals.ownerId, ownerId), eq(approvals.agentId, deviceId)))
    .limit(1);
  return row ?? null;
}

/**
 * Open an approval: 201 ApprovalView (task now waiting_approval); the same id and input again → 200 with the
 * stored row; the id taken by another request → 409; the task not this owner's or held by another agent → 404;
 * held by this agent but no longer active → 409.
 */
agentApprovalRoutes.post('/agent/tasks/:id/approvals', async (c) => {
  const taskId = taskIdParam(c);
  const body = await readJson(c, CreateApprovalRequest, CREATE_APPROVAL_BODY_BYTES);
  const { ownerId, deviceId } = c.var.agent;
  await sweepOwner(c, ownerId);
  const opened = await openApproval(c.var.db, { ownerId, agentId: deviceId, taskId, now: c.var.deps.now() }, body);
  switch (opened.kind) {
    case 'created':
      announce(c, [
        approvalChanged(ownerId, opened.row.id, taskId, 'pending'),
        ...(opened.waiting ? [taskChanged(ownerId, taskId, 'waiting_approval')] : []),
      ]);
      // Pushed only here, when the row was inserted: an idempotent retry ('existing') pushes nothing.
      schedulePushes(c, [approvalPush(opened.row, c.var.deps.now())]);
      return c.json(toApprovalView(opened.row), 201);
    case 'existing':
      return c.json(toApprovalView(opened.row), 200);
    case 'id-clash':
      throw new ProblemError(409, 'conflict', { detail: 'this approval id is already used for another request' });
    case 'task-unavailable': {
      const [task] = await c.var.db.select().from(tasks).where(and(eq(tasks.id, taskId), eq(tasks.ownerId, ownerId))).limit(1);
      if (!task || task.agentId !== deviceId) throw new ProblemError(404, 'not-found');
      throw new ProblemError(409, 'conflict', { detail: `the task is ${task.status}: approvals are only for running tasks` });
    }
  }
});

/** One approval this agent opened (deadlines swept first): ApprovalView; any other id 404. */
agentApprovalRoutes.get('/agent/approvals/:id', async (c) => {
  const id = approvalIdParam(c);
  await sweepOwner(c, c.var.agent.ownerId);
  const row = await myApproval(c, id);
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toApprovalView(row));
});

/**
 * Withdraw a pending approval the CLI no longer waits for (the hook died, the task ended): pending → expired,
 * decided_by `device:<agentId>`. 200 ApprovalView; already decided 409 naming how; unknown 404.
 */
agentApprovalRoutes.post('/agent/approvals/:id/withdraw', async (c) => {
  const id = approvalIdParam(c);
  const { ownerId, deviceId } = c.var.agent;
  await sweepOwner(c, ownerId);
  const now = c.var.deps.now();
  const { row, resumed } = await settleApproval(c.var.db, { id, ownerId, agentId: deviceId, to: 'expired', by: `device:${deviceId}`, now });
  if (row) {
    announce(c, [approvalChanged(ownerId, id, row.taskId, 'expired'), ...resumed.map((t) => taskChanged(t.ownerId, t.id, 'running'))]);
    return c.json(toApprovalView(row));
  }
  const existing = await myApproval(c, id);
  const miss = whyNotDecided(existing, { inputHash: existing?.inputHash ?? '', now });
  if (miss.status === 404) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail: miss.detail });
});
