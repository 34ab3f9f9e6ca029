// Why a decision's conditional UPDATE changed no row, read back from the row afterwards. Pure: no I/O.
// The UPDATE is the only judge; this only explains its miss (404 unknown, or 409 with the reason).
import type { ApprovalStatus } from '../../protocol/index.ts';

/** The fields of an approval row the explanation needs. `deadlineAt` is epoch ms. */
export type MissedRow = { status: ApprovalStatus; deadlineAt: number; inputHash: string; decidedBy: string | null };

export type Miss = { status: 404 } | { status: 409; detail: string };

/** Why an approval expired, from its `decided_by`. */
function expiredBecause(decidedBy: string | null): string {
  if (decidedBy === 'task-ended') return 'expired: the task ended';
  if (decidedBy?.startsWith('device:')) return 'expired: the home agent withdrew the request';
  return 'expired: the deadline passed';
}

/**
 * Explain a missed `UPDATE … WHERE status='pending' AND deadline_at > now AND input_hash = ?` at `now` (ms):
 * `row` is the approval as read afterwards (null: unknown or another owner's → 404). Checked in this order:
 * already decided, deadline passed, tool input changed. A row that still looks decidable (a race the UPDATE
 * saw differently) is a plain 409: the caller must not retry blindly.
 */
export function whyNotDecided(row: MissedRow | null, attempt: { inputHash: string; now: number }): Miss {
  if (row === null) return { status: 404 };
  if (row.status === 'expired') return { status: 409, detail: expiredBecause(row.decidedBy) };
  if (row.status !== 'pending') return { status: 409, detail: `already ${row.status}` };
  if (row.deadlineAt <= attempt.now) return { status: 409, detail: 'expired: the deadline passed' };
  if (row.inputHash !== attempt.inputHash) return { status: 409, detail: 'the tool input changed: reload the approval' };
  return { status: 409, detail: 'the approval changed meanwhile: reload it' };
}
