// The home agent's task API (bearer): list queued work, claim with a lease, heartbeat, live status, read, finish,
// close a kept-open window.
// Every write is one conditional UPDATE scoped to the agent's owner (and, after the claim, to the agent itself).
// An agent sees and claims only queued tasks whose workspace and backend it advertised (runnableBy).
import { Hono, type Context } from 'hono';
import { and, asc, eq, gte, inArray, isNotNull, isNull, notExists, sql } from 'drizzle-orm';
import {
  ACTIVE_STATUSES,
  FinishRequest,
  isActive,
  StatusRequest,
  sourcesOf,
  type ClaimResponse,
  type HeartbeatResponse,
  type TaskStatus,
} from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { approvals, followUps, tasks } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { expireApprovalsOfEndedTasks } from '../approvals/approval-expiry.ts';
import { announce, approvalChanged, taskChanged } from '../tasks/announce.ts';
import { sweepOwner } from '../tasks/due-sweep.ts';
import { taskIdParam } from '../tasks/task-id.ts';
import { liveAutoAllow, toTaskView } from '../tasks/task-view.ts';
import { offers, runnableBy } from '../tasks/agent-capabilities.ts';
import { withAttachments } from '../attachments/attachment-view.ts';
import { schedulePushes } from '../push/push-dispatch.ts';
import { taskPush } from '../push/push-message.ts';

/**
 * Body cap for finish, in bytes. A valid final screen is up to 500 rows × 1000 UTF-16 units; 1000 CJK
 * characters are 3000 UTF-8 bytes, so a full CJK screen is ~1.5 MB of JSON. Rows with C0 control characters
 * (JSON-escaped as 6 bytes each) can exceed this and get 413.
 */
export const FINISH_BODY_BYTES = 2 * 1024 * 1024;
const QUEUED_LIMIT = 100;

export const agentTaskRoutes = new Hono<AppEnv>();
agentTaskRoutes.use('/agent/tasks/*', requireAgent);

/** Statuses in `sources` that are also active (held under a lease by an agent). */
const activeSourcesOf = (to: TaskStatus): TaskStatus[] =>
  sourcesOf(to).filter((s) => (ACTIVE_STATUSES as readonly string[]).includes(s));

/** Sweep the agent's owner's expired leases and approval deadlines (announcing them) before an agent read or write. */
const sweep = (c: Context<AppEnv>): Promise<void> => sweepOwner(c, c.var.agent.ownerId);

/** The task if it belongs to the agent's owner, else null. */
async function ownedTask(c: Context<AppEnv>, id: string) {
  const [row] = await c.var.db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.ownerId, c.var.agent.ownerId))).limit(1);
  return row ?? null;
}

/** 409 (with `detail`) when the task exists for this owner (and, if `heldByMe`, is held by this agent); 404 otherwise. */
async function conflictOrNotFound(c: Context<AppEnv>, id: string, heldByMe: boolean, detail?: string): Promise<never> {
  const row = await ownedTask(c, id);
  if (row && (!heldByMe || row.agentId === c.var.agent.deviceId)) throw new ProblemError(409, 'conflict', { detail });
  throw new ProblemError(404, 'not-found');
}

/** The owner's queued tasks this agent can run (workspace and backend advertised), oldest first, ≤ 100. */
agentTaskRoutes.get('/agent/tasks/queued', async (c) => {
  const rows = await c.var.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.ownerId, c.var.agent.ownerId), eq(tasks.status, 'queued'), runnableBy(c.var.agent.capabilities)))
    .orderBy(asc(tasks.createdAt), asc(sql`rowid`))
    .limit(QUEUED_LIMIT);
  const now = c.var.deps.now();
  return c.json({ tasks: rows.map((r) => toTaskView(r, now)) });
});

/** A task this agent holds (claimed by it), in any status, with autoAllowUntil: TaskView; any other id 404. */
agentTaskRoutes.get('/agent/tasks/:id', async (c) => {
  const id = taskIdParam(c);
  await sweep(c);
  const [row] = await c.var.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, c.var.agent.ownerId), eq(tasks.agentId, c.var.agent.deviceId)))
    .limit(1);
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toTaskView(row, c.var.deps.now()));
});

/**
 * Claim a queued task: 200 ClaimResponse; 409 when it is no longer queued (another agent won, or cancelled);
 * 404 when it is unknown, another owner's, or outside this agent's capabilities (as if it could not see it).
 */
agentTaskRoutes.post('/agent/tasks/:id/claim', async (c) => {
  const id = taskIdParam(c);
  const { ownerId, deviceId, capabilities } = c.var.agent;
  const now = c.var.deps.now();
  const leaseExpiresAt = now + c.var.config.leaseMs;
  const [row] = await c.var.db
    .update(tasks)
    .set({ status: 'running', agentId: deviceId, startedAt: now, leaseExpiresAt })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), eq(tasks.status, 'queued'), runnableBy(capabilities)))
    .returning();
  if (!row) {
    const existing = await ownedTask(c, id);
    if (existing && offers(capabilities, existing)) throw new ProblemError(409, 'conflict');
    throw new ProblemError(404, 'not-found');
  }
  announce(c, [taskChanged(ownerId, id, 'running')]);
  const body: ClaimResponse = { task: await withAttachments(c.var.db, ownerId, toTaskView(row, now)), leaseExpiresAt };
  return c.json(body);
});

agentTaskRoutes.post('/agent/tasks/:id/heartbeat', async (c) => {
  const id = taskIdParam(c);
  const { ownerId, deviceId } = c.var.agent;
  await sweep(c);
  const now = c.var.deps.now();
  const leaseExpiresAt = now + c.var.config.leaseMs;
  const [renewed] = await c.var.db
    .update(tasks)
    .set({ leaseExpiresAt })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), eq(tasks.agentId, deviceId), inArray(tasks.status, [...ACTIVE_STATUSES]), gte(tasks.leaseExpiresAt, now)))
    .returning({ status: tasks.status, autoAllowUntil: tasks.autoAllowUntil });
  let body: HeartbeatResponse;
  if (renewed) body = { status: renewed.status, leaseExpiresAt, autoAllowUntil: liveAutoAllow(renewed.autoAllowUntil, now) };
  else {
    const row = await ownedTask(c, id);
    if (!row || row.agentId !== deviceId) throw new ProblemError(404, 'not-found');
    body = { status: row.status, leaseExpiresAt: null };
  }
  return c.json(body);
});

agentTaskRoutes.post('/agent/tasks/:id/status', async (c) => {
  const id = taskIdParam(c);
  const { status } = await readJson(c, StatusRequest);
  const { ownerId, deviceId } = c.var.agent;
  await sweep(c);
  const [row] = await c.var.db
    .update(tasks)
    .set({ status })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), eq(tasks.agentId, deviceId), inArray(tasks.status, activeSourcesOf(status))))
    .returning();
  if (!row) return conflictOrNotFound(c, id, true);
  announce(c, [taskChanged(ownerId, id, status)]);
  return c.json(toTaskView(row, c.var.deps.now()));
});

agentTaskRoutes.post('/agent/tasks/:id/finish', async (c) => {
  const id = taskIdParam(c);
  const body = await readJson(c, FinishRequest, FINISH_BODY_BYTES);
  const { ownerId, deviceId } = c.var.agent;
  await sweep(c);
  const now = c.var.deps.now();
  const mine = and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), eq(tasks.agentId, deviceId), isNull(tasks.agentFinishedAt));
  // A turn that a follow-up started ends as succeeded only once that follow-up was delivered: this also refuses a
  // retried finish of the previous turn that arrives after the follow-up reopened the task.
  const undelivered = c.var.db
    .select({ id: followUps.id })
    .from(followUps)
    .where(and(eq(followUps.taskId, tasks.id), eq(followUps.status, 'pending')));
  const outcome = {
    exitCode: body.exitCode,
    finalScreen: JSON.stringify(body.finalScreen),
    agentFinishedAt: now,
  };
  const [[finished], expired] = await c.var.db.batch([
    c.var.db
      .update(tasks)
      .set({
        ...outcome,
        status: body.status,
        endedAt: now,
        leaseExpiresAt: null,
        errorCode: body.error?.code ?? null,
        errorMessage: body.error?.message ?? null,
        openUntil: body.status === 'succeeded' && body.keepOpenMs ? now + body.keepOpenMs : null,
      })
      .where(and(mine, inArray(tasks.status, activeSourcesOf(body.status)), body.status === 'succeeded' ? notExists(undelivered) : undefined))
      .returning(),
    // Its pending approvals can no longer be answered: expired in the same transaction.
    expireApprovalsOfEndedTasks(c.var.db, now, and(eq(approvals.taskId, id), eq(approvals.ownerId, ownerId))),
  ]);
  // The owner cancelled while it ran: keep `cancelled`, store the outcome once.
  const [row] = finished
    ? [finished]
    : await c.var.db.update(tasks).set(outcome).where(and(mine, eq(tasks.status, 'cancelled'))).returning();
  if (!row) {
    const [waiting] = await c.var.db
      .select({ id: followUps.id })
      .from(followUps)
      .where(and(eq(followUps.taskId, id), eq(followUps.ownerId, ownerId), eq(followUps.status, 'pending')))
      .limit(1);
    const detail = waiting && body.status === 'succeeded' ? 'a follow-up is waiting: deliver it and type it into the window first' : undefined;
    return conflictOrNotFound(c, id, true, detail);
  }
  announce(c, [...expired.map((a) => approvalChanged(ownerId, a.id, id, 'expired')), taskChanged(ownerId, id, row.status)]);
  // Pushed once: only the finish that ended the task (a cancelled task's outcome is the owner's own doing).
  if (finished) schedulePushes(c, [taskPush(finished)]);
  return c.json(toTaskView(row, now, true));
});

/**
 * The agent closes the idle window of a succeeded task it holds: openUntil cleared, 200 TaskView (also when it was
 * already closed). 409 when the task is no longer succeeded (a follow-up reopened it first: keep the window and type
 * the follow-up); 404 when the task is not held by this agent. No body is read.
 */
agentTaskRoutes.post('/agent/tasks/:id/close', async (c) => {
  const id = taskIdParam(c);
  const { ownerId, deviceId } = c.var.agent;
  await sweep(c);
  const now = c.var.deps.now();
  const [closed] = await c.var.db
    .update(tasks)
    .set({ openUntil: null })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), eq(tasks.agentId, deviceId), eq(tasks.status, 'succeeded'), isNotNull(tasks.openUntil)))
    .returning();
  if (closed) {
    announce(c, [taskChanged(ownerId, id, 'succeeded')]);
    return c.json(toTaskView(closed, now));
  }
  const row = await ownedTask(c, id);
  if (!row || row.agentId !== deviceId) throw new ProblemError(404, 'not-found');
  if (row.status === 'succeeded') return c.json(toTaskView(row, now));
  const detail = isActive(row.status) ? 'a follow-up reopened the task: keep the window and type it' : `the task is ${row.status.replace('_', ' ')}`;
  throw new ProblemError(409, 'conflict', { detail });
});
