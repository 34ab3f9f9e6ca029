// Accepting a follow-up from the phone: one batch that inserts the pending row only while the task's window is
// open, and moves the task succeeded → running with a fresh lease. Idempotent on the phone-chosen id.
import { and, eq, exists, gt, sql } from 'drizzle-orm';
import type { FollowUpRequest } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { followUps, tasks } from '../db/schema.ts';
import { retryOutcome, type FollowUpAsk } from './follow-up-rules.ts';
import type { FollowUpRow } from './follow-up-view.ts';

export type Accepted =
  /** Inserted now, and the task moved succeeded → running in the same batch. */
  | { kind: 'created'; row: FollowUpRow }
  /** The same id was accepted before for the same task and text: the stored row (a retry; nothing changed). */
  | { kind: 'existing'; row: FollowUpRow }
  /** The id is taken by another message (other text, task or owner): 409 (404 when the task is not the caller's). */
  | { kind: 'id-clash' }
  /** Nothing written: the task is not the owner's, or its window is not open (the caller explains 404 or 409). */
  | { kind: 'task-unavailable' };

export type Acceptor = { ownerId: string; taskId: string; now: number; leaseMs: number };

/**
 * Accept `body` for `who.taskId` at `who.now` (ms). The INSERT … SELECT reads the task under the open condition
 * (owner's, succeeded, open_until > now), so a window closed a moment before gets nothing. The UPDATE requires the
 * pending row of this id on this task: a succeeded task never has a pending follow-up (acceptance moves it to
 * running in the same batch, and the agent's finish as succeeded is refused while one is pending), so that row is
 * the one this batch inserted. Of two different ids at once exactly one wins; the other finds the task running.
 */
export async function acceptFollowUp(db: Db, who: Acceptor, body: FollowUpRequest): Promise<Accepted> {
  const ask: FollowUpAsk = { ownerId: who.ownerId, taskId: who.taskId, id: body.id, text: body.text };
  const judge = (row: FollowUpRow): Accepted => (retryOutcome(row, ask) === 'same' ? { kind: 'existing', row } : { kind: 'id-clash' });
  const [before] = await db.select().from(followUps).where(eq(followUps.id, body.id)).limit(1);
  if (before) return judge(before);
  const open = and(eq(tasks.id, who.taskId), eq(tasks.ownerId, who.ownerId), eq(tasks.status, 'succeeded'), gt(tasks.openUntil, who.now));
  // Columns in the table's order: drizzle's INSERT … SELECT lists every column of `follow_ups`.
  const values = db
    .select({
      id: sql<string>`${body.id}`.as('id'),
      ownerId: tasks.ownerId,
      taskId: tasks.id,
      status: sql<'pending'>`'pending'`.as('status'),
      text: sql<string>`${body.text}`.as('text'),
      createdAt: sql<number>`${who.now}`.as('created_at'),
      deliveredAt: sql<number | null>`null`.as('delivered_at'),
    })
    .from(tasks)
    .where(open);
  const insertedHere = db
    .select({ id: followUps.id })
    .from(followUps)
    .where(and(eq(followUps.id, body.id), eq(followUps.taskId, tasks.id), eq(followUps.status, 'pending')));
  const [inserted, moved] = await db.batch([
    db.insert(followUps).select(values).onConflictDoNothing().returning(),
    db
      .update(tasks)
      .set({
        status: 'running',
        leaseExpiresAt: who.now + who.leaseMs,
        openUntil: null,
        endedAt: null,
        exitCode: null,
        errorCode: null,
        errorMessage: null,
        agentFinishedAt: null,
      })
      .where(and(open, exists(insertedHere)))
      .returning({ id: tasks.id }),
  ]);
  const row = inserted[0];
  if (row && moved.length > 0) return { kind: 'created', row };
  if (row) throw new Error('follow-up inserted but its task did not move to running');
  // Lost a race with a retry of the same id, or the task was not open.
  const [after] = await db.select().from(followUps).where(eq(followUps.id, body.id)).limit(1);
  return after ? judge(after) : { kind: 'task-unavailable' };
}
