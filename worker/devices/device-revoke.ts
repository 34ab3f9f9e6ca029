// Revoking a paired agent from the phone in one D1 batch: the device row (conditional: once), its active tasks
// → lost, its succeeded tasks' open windows closed, and the pending approvals of the tasks it lost expired.
import { and, eq, exists, inArray, isNotNull, isNull } from 'drizzle-orm';
import { sourcesOf } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { approvals, devices, tasks } from '../db/schema.ts';
import { expireApprovalsOfEndedTasks, type SettledApproval } from '../approvals/approval-expiry.ts';

/** TaskView.error of a task that ended because its agent was revoked. */
export const REVOKED_TASK_ERROR = {
  code: 'device-revoked',
  message: 'the home agent was revoked from the phone: the task was stopped',
} as const;

export type DeviceRevocation = {
  device: typeof devices.$inferSelect;
  /** Tasks that were running or waiting for an approval on the device, now `lost`. */
  lost: string[];
  /** Succeeded tasks whose window the device kept open for a follow-up, now closed (openUntil null). */
  closedWindows: string[];
  expired: SettledApproval[];
};

/**
 * Revoke `deviceId` of `ownerId` at `now` (epoch ms). One `db.batch` (a D1 transaction): `revoked_at` is set only
 * where it was null, and the same batch ends the device's active tasks as lost (REVOKED_TASK_ERROR), closes its
 * open windows and expires the lost tasks' pending approvals (decided_by 'task-ended'). Returns null when no live
 * device of this owner has that id (unknown, another owner's, or already revoked: nothing changed).
 */
export async function revokeDevice(db: Db, ownerId: string, deviceId: string, now: number): Promise<DeviceRevocation | null> {
  // The task statements act only when the first one revoked the device in this batch: a loser changes nothing.
  const revokedNow = exists(
    db.select({ id: devices.id }).from(devices).where(and(eq(devices.id, deviceId), eq(devices.ownerId, ownerId), eq(devices.revokedAt, now))),
  );
  const mine = and(eq(tasks.agentId, deviceId), eq(tasks.ownerId, ownerId), revokedNow);
  const [[device], lost, closedWindows, expired] = await db.batch([
    db
      .update(devices)
      .set({ revokedAt: now })
      .where(and(eq(devices.id, deviceId), eq(devices.ownerId, ownerId), isNull(devices.revokedAt)))
      .returning(),
    db
      .update(tasks)
      .set({ status: 'lost', endedAt: now, leaseExpiresAt: null, openUntil: null, errorCode: REVOKED_TASK_ERROR.code, errorMessage: REVOKED_TASK_ERROR.message })
      .where(and(mine, inArray(tasks.status, sourcesOf('lost'))))
      .returning({ id: tasks.id }),
    db
      .update(tasks)
      .set({ openUntil: null })
      .where(and(mine, eq(tasks.status, 'succeeded'), isNotNull(tasks.openUntil)))
      .returning({ id: tasks.id }),
    expireApprovalsOfEndedTasks(db, now, and(eq(approvals.agentId, deviceId), eq(approvals.ownerId, ownerId), revokedNow)),
  ]);
  if (!device) return null;
  return { device, lost: lost.map((t) => t.id), closedWindows: closedWindows.map((t) => t.id), expired };
}
