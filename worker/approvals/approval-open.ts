// Opening an approval for a task the calling agent holds: one batch that inserts the pending row (only while the
// task is this agent's and active) and moves the task running → waiting_approval. Idempotent on the agent's id.
import { and, eq, exists, inArray, sql } from 'drizzle-orm';
import { ACTIVE_STATUSES, type CreateApprovalRequest } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { approvals, tasks } from '../db/schema.ts';
import type { ApprovalRow } from './approval-view.ts';

export type Opened =
  /** Inserted now; `waiting` when the task moved running → waiting_approval in the same batch. */
  | { kind: 'created'; row: ApprovalRow; waiting: boolean }
  /** The same id was opened before for the same task, agent and input: the stored row (a retry). */
  | { kind: 'existing'; row: ApprovalRow }
  /** The id is taken by another request (another input, task or agent): 409. */
  | { kind: 'id-clash' }
  /** Nothing inserted: the task is not this agent's active task (the caller explains 404 or 409). */
  | { kind: 'task-unavailable' };

export type Opener = { ownerId: string; agentId: string; taskId: string; now: number };

/** How a stored row with the requested id relates to this request. */
function sameRequest(row: ApprovalRow, who: Opener, body: CreateApprovalRequest): Opened {
  const same = row.ownerId === who.ownerId && row.agentId === who.agentId && row.taskId === who.taskId && row.inputHash === body.inputHash;
  return same ? { kind: 'existing', row } : { kind: 'id-clash' };
}

/**
 * Open `body` for `who.taskId` at `who.now` (ms): deadline_at = now + deadlineMs. The INSERT … SELECT reads the
 * task row under the condition (owner, agent, active), so a task cancelled a moment before gets no approval.
 */
export async function openApproval(db: Db, who: Opener, body: CreateApprovalRequest): Promise<Opened> {
  const [before] = await db.select().from(approvals).where(eq(approvals.id, body.id)).limit(1);
  if (before) return sameRequest(before, who, body);
  const holdsActive = and(
    eq(tasks.id, who.taskId),
    eq(tasks.ownerId, who.ownerId),
    eq(tasks.agentId, who.agentId),
    inArray(tasks.status, [...ACTIVE_STATUSES]),
  );
  // Columns in the table's order: drizzle's INSERT … SELECT lists every column of `approvals`.
  const values = db
    .select({
      id: sql<string>`${body.id}`.as('id'),
      ownerId: tasks.ownerId,
      taskId: tasks.id,
      agentId: sql<string>`${who.agentId}`.as('agent_id'),
      status: sql<'pending'>`'pending'`.as('status'),
      inputHash: sql<string>`${body.inputHash}`.as('input_hash'),
      request: sql<string>`${JSON.stringify(body.request)}`.as('request'),
      createdAt: sql<number>`${who.now}`.as('created_at'),
      deadlineAt: sql<number>`${who.now + body.deadlineMs}`.as('deadline_at'),
      decidedAt: sql<number | null>`null`.as('decided_at'),
      decidedBy: sql<string | null>`null`.as('decided_by'),
      decidedIp: sql<string | null>`null`.as('decided_ip'),
      decidedUserAgent: sql<string | null>`null`.as('decided_user_agent'),
    })
    .from(tasks)
    .where(holdsActive);
  const pendingHere = db
    .select({ id: approvals.id })
    .from(approvals)
    .where(and(eq(approvals.id, body.id), eq(approvals.taskId, tasks.id), eq(approvals.status, 'pending')));
  const [inserted, moved] = await db.batch([
    db.insert(approvals).select(values).onConflictDoNothing().returning(),
    db
      .update(tasks)
      .set({ status: 'waiting_approval' })
      .where(and(holdsActive, eq(tasks.status, 'running'), exists(pendingHere)))
      .returning({ id: tasks.id }),
  ]);
  const row = inserted[0];
  if (row) return { kind: 'created', row, waiting: moved.length > 0 };
  // Lost a race with a retry of the same id, or the task was not available.
  const [after] = await db.select().from(approvals).where(eq(approvals.id, body.id)).limit(1);
  return after ? sameRequest(after, who, body) : { kind: 'task-unavailable' };
}
