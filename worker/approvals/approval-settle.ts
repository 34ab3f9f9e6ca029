// Settling a pending approval exactly once (DESIGN.md rule 4): one conditional UPDATE, batched with moving its
// task back to running when nothing else is pending. Used by the phone's decision and the agent's withdraw.
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../app-env.ts';
import { approvals } from '../db/schema.ts';
import type { ApprovalRow } from './approval-view.ts';
import { resumeTasks } from './task-resume.ts';
import type { ResumedTask } from './approval-expiry.ts';

export type Settlement = {
  id: string;
  ownerId: string;
  /** Only this agent's approvals (withdraw); absent: any of the owner's (a phone decision). */
  agentId?: string;
  to: 'allowed' | 'denied' | 'expired';
  /** `session:<id>` or `device:<id>`. */
  by: string;
  /** Epoch ms: the decision time, and the deadline check (`deadline_at > now`) when `inputHash` is given. */
  now: number;
  /** A phone decision is bound to the exact tool input and to the deadline; a withdraw is not. */
  inputHash?: string;
  ip?: string | null;
  userAgent?: string | null;
};

/**
 * UPDATE approvals SET status=`to`, decided_* WHERE id AND owner (AND agent) AND status='pending' (AND
 * deadline_at > now AND input_hash = ?), then, in the same batch, resume the task if nothing else of it is
 * pending. Returns the settled row (null when the UPDATE changed nothing: explain with whyNotDecided) and the
 * tasks resumed.
 */
export async function settleApproval(db: Db, s: Settlement): Promise<{ row: ApprovalRow | null; resumed: ResumedTask[] }> {
  const decidable = and(
    eq(approvals.id, s.id),
    eq(approvals.ownerId, s.ownerId),
    s.agentId === undefined ? undefined : eq(approvals.agentId, s.agentId),
    eq(approvals.status, 'pending'),
    s.inputHash === undefined ? undefined : and(gt(approvals.deadlineAt, s.now), eq(approvals.inputHash, s.inputHash)),
  );
  const settledHere = and(eq(approvals.id, s.id), eq(approvals.status, s.to), eq(approvals.decidedAt, s.now), eq(approvals.decidedBy, s.by));
  const [rows, resumed] = await db.batch([
    db
      .update(approvals)
      .set({ status: s.to, decidedAt: s.now, decidedBy: s.by, decidedIp: s.ip ?? null, decidedUserAgent: s.userAgent ?? null })
      .where(decidable)
      .returning(),
    resumeTasks(db, settledHere),
  ]);
  return { row: rows[0] ?? null, resumed };
}
