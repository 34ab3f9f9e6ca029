// Mapping an approvals row to the wire's ApprovalView (never send drizzle rows over the wire). Parses stored JSON.
// Where the decision came from (IP, user agent) stays in D1 for the record and is not sent.
import { ApprovalRequest, ApprovalStatus, type ApprovalView } from '../../protocol/index.ts';
import type { approvals } from '../db/schema.ts';

export type ApprovalRow = typeof approvals.$inferSelect;

/** A row as ApprovalView. Throws when the stored request is not a valid ApprovalRequest (the row is corrupt: a 500). */
export function toApprovalView(row: ApprovalRow): ApprovalView {
  return {
    id: row.id,
    taskId: row.taskId,
    status: ApprovalStatus.parse(row.status),
    inputHash: row.inputHash,
    createdAt: row.createdAt,
    deadlineAt: row.deadlineAt,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    request: ApprovalRequest.parse(JSON.parse(row.request)),
  };
}
