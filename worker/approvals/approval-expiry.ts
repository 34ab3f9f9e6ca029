// Expiring approvals that can no longer be answered: past their deadline (→ expired, decided_by 'deadline'), or
// of a task that ended (→ expired, decided_by 'task-ended'). Expired denies (DESIGN.md rule 7).
import { and, eq, exists, inArray, lte, type SQL } from 'drizzle-orm';
import { TERMINAL_STATUSES } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { approvals, tasks } from '../db/schema.ts';
import { resumeTasks } from './task-resume.ts';

export type SettledApproval = { id: string; taskId: string; ownerId: string };
export type ResumedTask = { id: string; ownerId: string };

const settledFields = { id: approvals.id, taskId: approvals.taskId, ownerId: approvals.ownerId };

/**
 * Statement for db.batch: every pending approval matching `scope` whose task has ended becomes expired at `now`
 * (ms) with decided_by 'task-ended'. Put it in the same batch as the write that ends the task.
 */
export function expireApprovalsOfEndedTasks(db: Db, now: number, scope: SQL | undefined) {
  const taskEnded = db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.id, approvals.taskId), inArray(tasks.status, [...TERMINAL_STATUSES])));
  return db
    .update(approvals)
    .set({ status: 'expired', decidedAt: now, decidedBy: 'task-ended' })
    .where(and(eq(approvals.status, 'pending'), scope, exists(taskEnded)))
    .returning(settledFields);
}

/**
 * Expire every pending approval with deadline_at <= now (ms), optionally for one owner, and in the same batch
 * move their tasks back to running when nothing else is pending. Returns what changed, for announcing.
 */
export async function sweepExpiredApprovals(db: Db, now: number, ownerId?: string): Promise<{ expired: SettledApproval[]; resumed: ResumedTask[] }> {
  const owner = ownerId === undefined ? undefined : eq(approvals.ownerId, ownerId);
  const [expired, resumed] = await db.batch([
    db
      .update(approvals)
      .set({ status: 'expired', decidedAt: now, decidedBy: 'deadline' })
      .where(and(eq(approvals.status, 'pending'), lte(approvals.deadlineAt, now), owner))
      .returning(settledFields),
    resumeTasks(db, and(eq(approvals.decidedBy, 'deadline'), eq(approvals.decidedAt, now), owner)),
  ]);
  return { expired, resumed };
}
