// Lease expiry: active tasks whose lease ran out become `lost` (never re-run, DESIGN.md rule 3).
// Runs on the cron trigger (all owners) and lazily before task reads and agent writes (one owner).
import { and, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { sourcesOf } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { tasks } from '../db/schema.ts';

export type LostTask = { id: string; ownerId: string };

/** Mark every active task with `lease_expires_at < now` (ms) as lost, optionally for one owner; returns them. */
export async function sweepExpiredLeases(db: Db, now: number, ownerId?: string): Promise<LostTask[]> {
  const where: SQL[] = [inArray(tasks.status, sourcesOf('lost')), lt(tasks.leaseExpiresAt, now)];
  if (ownerId !== undefined) where.push(eq(tasks.ownerId, ownerId));
  return db
    .update(tasks)
    .set({ status: 'lost', endedAt: now, leaseExpiresAt: null, errorCode: 'lease-expired', errorMessage: 'the home agent stopped renewing its lease' })
    .where(and(...where))
    .returning({ id: tasks.id, ownerId: tasks.ownerId });
}
