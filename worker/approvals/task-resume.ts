// Moving a task back from waiting_approval to running once none of its approvals is pending. A statement builder
// for db.batch: it runs in the same transaction as the write that settled the approval, never on its own.
import { and, eq, inArray, notExists, type SQL } from 'drizzle-orm';
import type { Db } from '../app-env.ts';
import { approvals, tasks } from '../db/schema.ts';

/**
 * UPDATE tasks SET status='running' WHERE status='waiting_approval' AND id IN (tasks of the approvals matching
 * `settled`) AND NOT EXISTS (a pending approval of the task), RETURNING {id, ownerId}. `settled` names the
 * approvals this batch just decided, so tasks it did not touch keep their status.
 */
export function resumeTasks(db: Db, settled: SQL | undefined) {
  const touched = db.select({ id: approvals.taskId }).from(approvals).where(settled);
  const pendingOfTask = db
    .select({ id: approvals.id })
    .from(approvals)
    .where(and(eq(approvals.taskId, tasks.id), eq(approvals.status, 'pending')));
  return db
    .update(tasks)
    .set({ status: 'running' })
    .where(and(eq(tasks.status, 'waiting_approval'), inArray(tasks.id, touched), notExists(pendingOfTask)))
    .returning({ id: tasks.id, ownerId: tasks.ownerId });
}
