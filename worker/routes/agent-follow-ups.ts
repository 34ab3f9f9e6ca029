// The home agent's follow-up API (bearer): list the pending follow-ups of the active tasks it holds, and take one
// (pending → delivered, once) to type into the task's window. Anything not this agent's answers like an unknown id.
import { Hono } from 'hono';
import { and, asc, eq, exists, getTableColumns, inArray, sql } from 'drizzle-orm';
import { ACTIVE_STATUSES, FollowUpId, type FollowUpList } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { followUps, tasks } from '../db/schema.ts';
import { ProblemError } from '../problem.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { sweepOwner } from '../tasks/due-sweep.ts';
import { whyNotDelivered } from '../tasks/follow-up-rules.ts';
import { toFollowUpView } from '../tasks/follow-up-view.ts';

/** Most follow-ups returned by GET /api/agent/follow-ups. */
export const FOLLOW_UP_LIST_LIMIT = 100;

export const agentFollowUpRoutes = new Hono<AppEnv>();
agentFollowUpRoutes.use('/agent/follow-ups', requireAgent);
agentFollowUpRoutes.use('/agent/follow-ups/*', requireAgent);

/** Pending follow-ups of tasks this agent holds that are active (running / waiting_approval): FollowUpList, oldest first, ≤ 100. */
agentFollowUpRoutes.get('/agent/follow-ups', async (c) => {
  const { ownerId, deviceId } = c.var.agent;
  await sweepOwner(c, ownerId);
  const rows = await c.var.db
    .select(getTableColumns(followUps))
    .from(followUps)
    .innerJoin(tasks, eq(tasks.id, followUps.taskId))
    .where(
      and(
        eq(followUps.ownerId, ownerId),
        eq(followUps.status, 'pending'),
        eq(tasks.ownerId, ownerId),
        eq(tasks.agentId, deviceId),
        inArray(tasks.status, [...ACTIVE_STATUSES]),
      ),
    )
    .orderBy(asc(followUps.createdAt), asc(sql`${followUps}.rowid`))
    .limit(FOLLOW_UP_LIST_LIMIT);
  const body: FollowUpList = { followUps: rows.map(toFollowUpView) };
  return c.json(body);
});

/**
 * Take a pending follow-up to type it: one conditional UPDATE pending → delivered (deliveredAt = now), only while its
 * task is held by this agent and active. 200 FollowUpView; again → 409 (already delivered, or the task ended);
 * unknown, another owner's or another agent's → 404.
 */
agentFollowUpRoutes.post('/agent/follow-ups/:id/deliver', async (c) => {
  const parsed = FollowUpId.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ProblemError(404, 'not-found');
  const id = parsed.data;
  const { ownerId, deviceId } = c.var.agent;
  await sweepOwner(c, ownerId);
  const now = c.var.deps.now();
  const heldActive = c.var.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.id, followUps.taskId), eq(tasks.ownerId, ownerId), eq(tasks.agentId, deviceId), inArray(tasks.status, [...ACTIVE_STATUSES])));
  const [row] = await c.var.db
    .update(followUps)
    .set({ status: 'delivered', deliveredAt: now })
    .where(and(eq(followUps.id, id), eq(followUps.ownerId, ownerId), eq(followUps.status, 'pending'), exists(heldActive)))
    .returning();
  if (row) return c.json(toFollowUpView(row));
  const [miss] = await c.var.db
    .select({ status: followUps.status, taskStatus: tasks.status, agentId: tasks.agentId })
    .from(followUps)
    .innerJoin(tasks, eq(tasks.id, followUps.taskId))
    .where(and(eq(followUps.id, id), eq(followUps.ownerId, ownerId), eq(tasks.ownerId, ownerId)))
    .limit(1);
  if (!miss || miss.agentId !== deviceId) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail: whyNotDelivered(miss.status, miss.taskStatus) ?? 'the follow-up changed: list again' });
});
