// The cron's attachment housekeeping: unbound images older than UNBOUND_ATTACHMENT_TTL_MS are deleted, and the bytes of
// images whose task has ended are dropped (the agent can no longer fetch them; the edge keeps only the envelope).
import { and, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { TERMINAL_STATUSES, UNBOUND_ATTACHMENT_TTL_MS } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { attachments, tasks } from '../db/schema.ts';

/** Prune at `now` (ms): how many unbound rows were deleted and how many ended tasks' images lost their bytes. */
export async function pruneAttachments(db: Db, now: number): Promise<{ deleted: number; dropped: number }> {
  const ended = db.select({ id: tasks.id }).from(tasks).where(inArray(tasks.status, [...TERMINAL_STATUSES]));
  const [deleted, dropped] = await db.batch([
    db
      .delete(attachments)
      .where(and(isNull(attachments.taskId), lt(attachments.createdAt, now - UNBOUND_ATTACHMENT_TTL_MS)))
      .returning({ id: attachments.id }),
    db
      .update(attachments)
      .set({ data: null })
      .where(and(isNotNull(attachments.data), inArray(attachments.taskId, ended)))
      .returning({ id: attachments.id }),
  ]);
  return { deleted: deleted.length, dropped: dropped.length };
}
