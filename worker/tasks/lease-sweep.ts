// Lease expiry: active tasks whose lease ran out become `lost` (never re-run, DESIGN.md rule 3), and their
// pending approvals expire in the same batch. Runs on the cron (all owners) and lazily (one owner).
import { and, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { sourcesOf } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { approvals, tasks } from '../db/schema.ts';
import { expireApprovalsOfEndedTasks, type SettledApproval } from '../approvals/approval-expiry.ts';

/** A task the sweep marked lost, with its prompt (for the push). */
export type LostTask = { id: string; ownerId: string; prompt: string };

/**
 * Mark every active task with `lease_expires_at < now` (ms) as lost, optionally for one owner, and expire the
 * pending approvals of ended tasks (decided_by 'task-ended'). Returns both, for announcing.
 */
export async function sweepExpiredLeases(db: Db, now: number, ownerId?: string): Promise<{ lost: LostTask[]; expired: SettledApproval[] }> {
  const where: SQL[] = [inArray(tasks.status, sourcesOf('lost')), lt(tasks.leaseExpiresAt, now)];
  if (ownerId !== undefined) where.push(eq(tasks.ownerId, ownerId));
  const [lost, expired] = await db.batch([
    db
      .update(tasks)
      .set({ status: 'lost', endedAt: now, leaseExpiresAt: null, errorCode: 'lease-expired', errorMessage: 'the home agent stopped renewing its lease' })
      .where(and(...where))
      .returning({ id: tasks.id, ownerId: tasks.ownerId, prompt: tasks.prompt }),
    expireApprovalsOfEndedTasks(db, now, ownerId === undefined ? undefined : eq(approvals.ownerId, ownerId)),
  ]);
  return { lost, expired };
}
