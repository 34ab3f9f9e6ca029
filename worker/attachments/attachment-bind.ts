// Creating a task with its attachments in one db.batch: the task row, then one conditional UPDATE that binds every
// named attachment (the owner's, unbound, not expired) or none, then the task row removed again when none were bound.
// So a task never exists without all its images, and an image is never bound to two tasks (DESIGN.md rule 4).
import { and, eq, gt, inArray, isNull, notExists, sql } from 'drizzle-orm';
import { UNBOUND_ATTACHMENT_TTL_MS } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { attachments, tasks } from '../db/schema.ts';
import { ProblemError } from '../problem.ts';

type NewTask = typeof tasks.$inferInsert & { id: string };
type TaskRow = typeof tasks.$inferSelect;

/**
 * Insert `values` (a queued task) bound to `attachmentIds` in that order (position 0, 1, …) at `now` (ms). Throws
 * 404 `not-found` when an attachment is unknown, another owner's or expired unbound, and 409 `conflict` when one is
 * already on another task (or was taken by a request racing this one); nothing is written then.
 */
export async function insertTaskWithAttachments(db: Db, values: NewTask, attachmentIds: readonly string[], now: number): Promise<TaskRow> {
  if (attachmentIds.length === 0) {
    const [row] = await db.insert(tasks).values(values).returning();
    if (!row) throw new ProblemError(500, 'internal');
    return row;
  }
  const ids = [...attachmentIds];
  const free = and(
    inArray(attachments.id, ids),
    eq(attachments.ownerId, values.ownerId),
    isNull(attachments.taskId),
    gt(attachments.createdAt, now - UNBOUND_ATTACHMENT_TTL_MS),
  );
  // Uncorrelated, so it counts the rows as they are before this UPDATE changes any: all of them free, or none bound.
  const allFree = sql`(select count(*) from ${attachments} where ${free}) = ${ids.length}`;
  const position = sql`case ${attachments.id} ${sql.join(ids.map((id, i) => sql`when ${id} then ${i}`), sql` `)} end`;
  const [[row], bound] = await db.batch([
    db.insert(tasks).values(values).returning(),
    db.update(attachments).set({ taskId: values.id, position }).where(and(free, allFree)).returning({ id: attachments.id }),
    db
      .delete(tasks)
      .where(and(eq(tasks.id, values.id), notExists(db.select({ id: attachments.id }).from(attachments).where(eq(attachments.taskId, values.id))))),
  ]);
  if (row && bound.length === ids.length) return row;
  return whyNotBound(db, values.ownerId, ids, now);
}

/** The problem for a binding that missed: 404 for an unknown, foreign or expired image, else 409. */
async function whyNotBound(db: Db, ownerId: string, ids: string[], now: number): Promise<never> {
  const rows = await db
    .select({ id: attachments.id, taskId: attachments.taskId, createdAt: attachments.createdAt })
    .from(attachments)
    .where(and(inArray(attachments.id, ids), eq(attachments.ownerId, ownerId)));
  const live = rows.filter((r) => r.taskId !== null || r.createdAt > now - UNBOUND_ATTACHMENT_TTL_MS);
  if (live.length < ids.length) {
    throw new ProblemError(404, 'not-found', { detail: 'an attached image is unknown or has expired: attach it again' });
  }
  throw new ProblemError(409, 'conflict', { detail: 'an attached image is already on another task: attach it again' });
}
