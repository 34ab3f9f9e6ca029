// Mapping a follow_ups row to the wire's FollowUpView (never send drizzle rows over the wire).
import { FollowUpStatus, type FollowUpView } from '../../protocol/index.ts';
import type { followUps } from '../db/schema.ts';

export type FollowUpRow = typeof followUps.$inferSelect;

/** A row as FollowUpView (times epoch ms). */
export const toFollowUpView = (row: FollowUpRow): FollowUpView => ({
  id: row.id,
  taskId: row.taskId,
  status: FollowUpStatus.parse(row.status),
  text: row.text,
  createdAt: row.createdAt,
  deliveredAt: row.deliveredAt,
});
