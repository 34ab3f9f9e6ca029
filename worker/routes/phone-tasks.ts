// The phone's task API (session): create, list, read, cancel. Every query is scoped to the session's owner;
// another owner's task is answered exactly like an unknown one (404).
import { Hono } from 'hono';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { CreateTaskRequest, MAX_PROMPT_BYTES, sourcesOf, type TaskList } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { tasks } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { requireSession } from '../auth/phone-session.ts';
import { ownerAgents, whyUnrunnable } from '../tasks/agent-capabilities.ts';
import { announce, lostChanges } from '../tasks/announce.ts';
import { sweepExpiredLeases } from '../tasks/lease-sweep.ts';
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
  const [row] = await c.var.db
    .insert(tasks)
    .values({
      id: crypto.randomUUID(),
      ownerId,
      status: 'queued',
      workspace: body.workspace,
      backend: body.backend,
      prompt: body.prompt,
      createdAt: c.var.deps.now(),
    })
    .returning();
  if (!row) throw new ProblemError(500, 'internal');
  announce(c, [{ ownerId, taskId: row.id, status: 'queued' }]);
  return c.json(toTaskView(row), 201);
});

phoneTaskRoutes.get('/tasks', async (c) => {
  const { ownerId } = c.var.session;
  announce(c, lostChanges(await sweepExpiredLeases(c.var.db, c.var.deps.now(), ownerId)));
  const rows = await c.var.db
    .select()
    .from(tasks)
    .where(eq(tasks.ownerId, ownerId))
    .orderBy(desc(tasks.createdAt), desc(sql`rowid`))
    .limit(TASK_LIST_LIMIT);
  const body: TaskList = { tasks: rows.map((r) => toTaskView(r)) };
  return c.json(body);
});

phoneTaskRoutes.get('/tasks/:id', async (c) => {
  const id = taskIdParam(c);
  const { ownerId } = c.var.session;
  announce(c, lostChanges(await sweepExpiredLeases(c.var.db, c.var.deps.now(), ownerId)));
  const [row] = await c.var.db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId))).limit(1);
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toTaskView(row, true));
});

phoneTaskRoutes.post('/tasks/:id/cancel', async (c) => {
  const id = taskIdParam(c);
  const { ownerId } = c.var.session;
  const [row] = await c.var.db
    .update(tasks)
    .set({ status: 'cancelled', endedAt: c.var.deps.now() })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), inArray(tasks.status, sourcesOf('cancelled'))))
    .returning();
  if (row) {
    announce(c, [{ ownerId, taskId: id, status: 'cancelled' }]);
    return c.json(toTaskView(row));
  }
  const [existing] = await c.var.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId))).limit(1);
  if (!existing) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail: 'the task has already ended' });
});
