// The phone's task API (session): create, list, read, cancel, auto-allow. Every query is scoped to the session's
// owner; another owner's task is answered exactly like an unknown one (404).
import { Hono, type Context } from 'hono';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { ACTIVE_STATUSES, AutoAllowRequest, CreateTaskRequest, MAX_PROMPT_BYTES, sourcesOf, type TaskList } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { approvals, tasks } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { requireSession } from '../auth/phone-session.ts';
import { expireApprovalsOfEndedTasks } from '../approvals/approval-expiry.ts';
import { ownerAgents, whyUnrunnable } from '../tasks/agent-capabilities.ts';
import { announce, approvalChanged, taskChanged } from '../tasks/announce.ts';
import { sweepOwner } from '../tasks/due-sweep.ts';
import { taskIdParam } from '../tasks/task-id.ts';
import { toTaskView } from '../tasks/task-view.ts';

/**
 * Body cap for task creation, in bytes. A valid 64 KiB prompt of newlines or quotes doubles when JSON.stringify
 * escapes it (128 KiB plus the envelope), so the cap is 256 KiB; the prompt's real limit is the schema's
 * MAX_PROMPT_BYTES check (400 naming `prompt`). A body past the cap gets 413 naming the prompt limit.
 */
export const CREATE_TASK_BODY_BYTES = 256 * 1024;
const PROMPT_TOO_LARGE = `the body is over ${CREATE_TASK_BODY_BYTES} bytes: a prompt may be at most ${MAX_PROMPT_BYTES} bytes (64 KiB)`;
/** Most tasks returned by GET /api/tasks. */
export const TASK_LIST_LIMIT = 100;

export const phoneTaskRoutes = new Hono<AppEnv>();
phoneTaskRoutes.use('/tasks', requireSession);
phoneTaskRoutes.use('/tasks/*', requireSession);

phoneTaskRoutes.post('/tasks', async (c) => {
  const body = await readJson(c, CreateTaskRequest, CREATE_TASK_BODY_BYTES, PROMPT_TOO_LARGE);
  const { ownerId } = c.var.session;
  const why = whyUnrunnable(await ownerAgents(c.var.db, ownerId), body.workspace, body.backend);
  if (why !== null) throw new ProblemError(422, why);
  const now = c.var.deps.now();
  const [row] = await c.var.db
    .insert(tasks)
    .values({
      id: crypto.randomUUID(),
      ownerId,
      status: 'queued',
      workspace: body.workspace,
      backend: body.backend,
      prompt: body.prompt,
      createdAt: now,
    })
    .returning();
  if (!row) throw new ProblemError(500, 'internal');
  announce(c, [taskChanged(ownerId, row.id, 'queued')]);
  return c.json(toTaskView(row, now), 201);
});

phoneTaskRoutes.get('/tasks', async (c) => {
  const { ownerId } = c.var.session;
  await sweepOwner(c, ownerId);
  const rows = await c.var.db
    .select()
    .from(tasks)
    .where(eq(tasks.ownerId, ownerId))
    .orderBy(desc(tasks.createdAt), desc(sql`rowid`))
    .limit(TASK_LIST_LIMIT);
  const now = c.var.deps.now();
  const body: TaskList = { tasks: rows.map((r) => toTaskView(r, now)) };
  return c.json(body);
});

phoneTaskRoutes.get('/tasks/:id', async (c) => {
  const id = taskIdParam(c);
  const { ownerId } = c.var.session;
  await sweepOwner(c, ownerId);
  const [row] = await c.var.db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId))).limit(1);
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toTaskView(row, c.var.deps.now(), true));
});

/** 404 when the task is not the owner's, else 409 with `detail` (the conditional UPDATE missed a live row). */
async function conflictOrNotFound(c: Context<AppEnv>, id: string, detail: string): Promise<never> {
  const [existing] = await c.var.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.id, id), eq(tasks.ownerId, c.var.session.ownerId))).limit(1);
  if (!existing) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail });
}

/** Cancel: TaskView; its pending approvals expire (decided_by 'task-ended') in the same batch. Ended → 409. */
phoneTaskRoutes.post('/tasks/:id/cancel', async (c) => {
  const id = taskIdParam(c);
  const { ownerId } = c.var.session;
  const now = c.var.deps.now();
  const [[row], expired] = await c.var.db.batch([
    c.var.db
      .update(tasks)
      .set({ status: 'cancelled', endedAt: now })
      .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), inArray(tasks.status, sourcesOf('cancelled'))))
      .returning(),
    expireApprovalsOfEndedTasks(c.var.db, now, and(eq(approvals.taskId, id), eq(approvals.ownerId, ownerId))),
  ]);
  if (!row) return conflictOrNotFound(c, id, 'the task has already ended');
  announce(c, [...expired.map((a) => approvalChanged(ownerId, a.id, id, 'expired')), taskChanged(ownerId, id, 'cancelled')]);
  return c.json(toTaskView(row, now));
});

/**
 * Auto-allow what the home policy would ask about, for `minutes` from now (0 clears it): TaskView with
 * autoAllowUntil. Only while the task is active (409 otherwise). The agent caps it and never widens a deny.
 */
phoneTaskRoutes.post('/tasks/:id/auto-allow', async (c) => {
  const id = taskIdParam(c);
  const { minutes } = await readJson(c, AutoAllowRequest);
  const { ownerId } = c.var.session;
  await sweepOwner(c, ownerId);
  const now = c.var.deps.now();
  const [row] = await c.var.db
    .update(tasks)
    .set({ autoAllowUntil: minutes === 0 ? null : now + minutes * 60_000 })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), inArray(tasks.status, [...ACTIVE_STATUSES])))
    .returning();
  if (!row) return conflictOrNotFound(c, id, 'auto-allow is only for a running task');
  announce(c, [taskChanged(ownerId, id, row.status)]);
  return c.json(toTaskView(row, now));
});
