// The phone's task API (session): create, list, read, cancel, auto-allow, follow-ups and closing an open window.
// Every query is scoped to the session's owner; another owner's task is answered exactly like an unknown one (404).
// Submissions (tasks, follow-ups) are rate-limited per owner and per IP; every change the owner makes is audited.
import { Hono, type Context } from 'hono';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  ACTIVE_STATUSES,
  AutoAllowRequest,
  CreateTaskRequest,
  FollowUpRequest,
  MAX_FOLLOW_UP_BYTES,
  MAX_PROMPT_BYTES,
  sourcesOf,
  type TaskList,
} from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../audit/audit-append.ts';
import { approvals, followUps, tasks } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { requireSession } from '../auth/phone-session.ts';
import { limitTaskSubmit } from '../rate-limit-rules.ts';
import { expireApprovalsOfEndedTasks } from '../approvals/approval-expiry.ts';
import { ownerAgents, whyUnrunnable } from '../tasks/agent-capabilities.ts';
import { announce, approvalChanged, taskChanged } from '../tasks/announce.ts';
import { sweepOwner } from '../tasks/due-sweep.ts';
import { taskIdParam } from '../tasks/task-id.ts';
import { toTaskView } from '../tasks/task-view.ts';
import { acceptFollowUp } from '../tasks/follow-up-accept.ts';
import { whyNotOpen } from '../tasks/follow-up-rules.ts';
import { toFollowUpView } from '../tasks/follow-up-view.ts';
import { insertTaskWithAttachments } from '../attachments/attachment-bind.ts';
import { withAttachments } from '../attachments/attachment-view.ts';

/**
 * Body cap for task creation, in bytes. A valid 64 KiB prompt of newlines or quotes doubles when JSON.stringify
 * escapes it (128 KiB plus the envelope), so the cap is 256 KiB; the prompt's real limit is the schema's
 * MAX_PROMPT_BYTES check (400 naming `prompt`). A body past the cap gets 413 naming the prompt limit.
 */
export const CREATE_TASK_BODY_BYTES = 256 * 1024;
const PROMPT_TOO_LARGE = `the body is over ${CREATE_TASK_BODY_BYTES} bytes: a prompt may be at most ${MAX_PROMPT_BYTES} bytes (64 KiB)`;
/**
 * Body cap for a follow-up, in bytes: the text's own limit is MAX_FOLLOW_UP_BYTES (16 KiB, the schema's check, a 400
 * naming `text`); any JSON escaping of a valid text (at most 6 bytes per UTF-8 byte, `\u00XX`) stays under 96 KiB.
 */
export const FOLLOW_UP_BODY_BYTES = 128 * 1024;
const FOLLOW_UP_TOO_LARGE = `the body is over ${FOLLOW_UP_BODY_BYTES} bytes: a follow-up may be at most ${MAX_FOLLOW_UP_BYTES} bytes (16 KiB)`;
/** Most tasks returned by GET /api/tasks. */
export const TASK_LIST_LIMIT = 100;

export const phoneTaskRoutes = new Hono<AppEnv>();
phoneTaskRoutes.use('/tasks', requireSession);
phoneTaskRoutes.use('/tasks/*', requireSession);

phoneTaskRoutes.post('/tasks', limitTaskSubmit, async (c) => {
  const body = await readJson(c, CreateTaskRequest, CREATE_TASK_BODY_BYTES, PROMPT_TOO_LARGE);
  const { ownerId, sessionId } = c.var.session;
  const why = whyUnrunnable(await ownerAgents(c.var.db, ownerId), body.workspace, body.backend);
  if (why !== null) throw new ProblemError(422, why);
  const now = c.var.deps.now();
  const values = {
    id: crypto.randomUUID(),
    ownerId,
    status: 'queued' as const,
    workspace: body.workspace,
    backend: body.backend,
    prompt: body.prompt,
    model: body.model ?? null,
    createdAt: now,
  };
  // Bound to its attachments in the same batch: a missing, foreign or taken image → 404/409 and no task.
  const row = await insertTaskWithAttachments(c.var.db, values, body.attachmentIds ?? [], now);
  announce(c, [taskChanged(ownerId, row.id, 'queued')]);
  const detail = { workspace: row.workspace, backend: row.backend, ...(body.attachmentIds?.length ? { attachments: body.attachmentIds.length } : {}) };
  await audit(c, { ownerId, action: 'task-submitted', actor: `session:${sessionId}`, subject: row.id, detail });
  const view = toTaskView(row, now);
  return c.json(body.attachmentIds?.length ? await withAttachments(c.var.db, ownerId, view) : view, 201);
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
  const sent = await c.var.db
    .select()
    .from(followUps)
    .where(and(eq(followUps.taskId, id), eq(followUps.ownerId, ownerId)))
    .orderBy(asc(followUps.createdAt), asc(sql`rowid`));
  return c.json(await withAttachments(c.var.db, ownerId, toTaskView(row, c.var.deps.now(), true, sent.map(toFollowUpView))));
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
  const { ownerId, sessionId } = c.var.session;
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
  await audit(c, { ownerId, action: 'task-cancelled', actor: `session:${sessionId}`, subject: id, detail: { approvalsExpired: expired.length } });
  return c.json(toTaskView(row, now));
});

/**
 * Auto-allow what the home policy would ask about, for `minutes` from now (0 clears it): TaskView with
 * autoAllowUntil. Only while the task is active (409 otherwise). The agent caps it and never widens a deny.
 */
phoneTaskRoutes.post('/tasks/:id/auto-allow', async (c) => {
  const id = taskIdParam(c);
  const { minutes } = await readJson(c, AutoAllowRequest);
  const { ownerId, sessionId } = c.var.session;
  await sweepOwner(c, ownerId);
  const now = c.var.deps.now();
  const [row] = await c.var.db
    .update(tasks)
    .set({ autoAllowUntil: minutes === 0 ? null : now + minutes * 60_000 })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), inArray(tasks.status, [...ACTIVE_STATUSES])))
    .returning();
  if (!row) return conflictOrNotFound(c, id, 'auto-allow is only for a running task');
  announce(c, [taskChanged(ownerId, id, row.status)]);
  await audit(c, { ownerId, action: 'auto-allow-set', actor: `session:${sessionId}`, subject: id, detail: { minutes, until: row.autoAllowUntil } });
  return c.json(toTaskView(row, now));
});

/** 404 when the task is not the owner's, else 409 saying why its window is not open for a follow-up. */
async function notOpen(c: Context<AppEnv>, id: string, now: number): Promise<never> {
  const [task] = await c.var.db
    .select({ status: tasks.status, openUntil: tasks.openUntil })
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, c.var.session.ownerId)))
    .limit(1);
  if (!task) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail: whyNotOpen(task, now) ?? 'the task changed: reload it' });
}

/**
 * Send a follow-up to a succeeded task whose window is open: 201 FollowUpView, the task back to running with a fresh
 * lease (the agent types it into the same window). The same id and text again → 200 with the stored row; the id with
 * other text → 409; the window not open → 409 saying why; another owner's or unknown task → 404.
 */
phoneTaskRoutes.post('/tasks/:id/follow-ups', limitTaskSubmit, async (c) => {
  const id = taskIdParam(c);
  const body = await readJson(c, FollowUpRequest, FOLLOW_UP_BODY_BYTES, FOLLOW_UP_TOO_LARGE);
  const { ownerId, sessionId } = c.var.session;
  await sweepOwner(c, ownerId);
  const now = c.var.deps.now();
  const accepted = await acceptFollowUp(c.var.db, { ownerId, taskId: id, now, leaseMs: c.var.config.leaseMs }, body);
  switch (accepted.kind) {
    case 'created':
      announce(c, [taskChanged(ownerId, id, 'running')]);
      await audit(c, { ownerId, action: 'follow-up-sent', actor: `session:${sessionId}`, subject: id, detail: { followUpId: accepted.row.id } });
      return c.json(toFollowUpView(accepted.row), 201);
    case 'existing':
      return c.json(toFollowUpView(accepted.row), 200);
    case 'id-clash':
      return conflictOrNotFound(c, id, 'this follow-up id is already used for another message');
    case 'task-unavailable':
      return notOpen(c, id, now);
  }
});

/**
 * Close an open window (the owner is done with the conversation): openUntil cleared, 200 TaskView; the room nudges
 * the agent, which closes the CLI window. Not open (running, ended, already closed) → 409; not the owner's → 404.
 * No body is read.
 */
phoneTaskRoutes.post('/tasks/:id/close', async (c) => {
  const id = taskIdParam(c);
  const { ownerId, sessionId } = c.var.session;
  const now = c.var.deps.now();
  const [row] = await c.var.db
    .update(tasks)
    .set({ openUntil: null })
    .where(and(eq(tasks.id, id), eq(tasks.ownerId, ownerId), eq(tasks.status, 'succeeded'), isNotNull(tasks.openUntil)))
    .returning();
  if (!row) return notOpen(c, id, now);
  announce(c, [taskChanged(ownerId, id, 'succeeded')]);
  await audit(c, { ownerId, action: 'task-closed', actor: `session:${sessionId}`, subject: id });
  return c.json(toTaskView(row, now));
});
