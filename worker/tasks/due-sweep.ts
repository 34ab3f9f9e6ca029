// Everything that falls due with time alone: expired leases (→ lost) and approval deadlines (→ expired). Run on
// the cron for all owners and lazily, for one owner, before reads and agent writes. Returns what to announce and push.
import type { Context } from 'hono';
import type { AppEnv, Db } from '../app-env.ts';
import { sweepExpiredApprovals } from '../approvals/approval-expiry.ts';
import { sweepExpiredLeases } from './lease-sweep.ts';
import { schedulePushes } from '../push/push-dispatch.ts';
import { taskPush, type PushItem } from '../push/push-message.ts';
import { announce, approvalChanged, lostChanges, taskChanged, type Change } from './announce.ts';

/** What a sweep found due: room notifications, and pushes (each lost task once: the UPDATE that lost it). */
export type Due = { changes: Change[]; pushes: PushItem[] };

/** Sweep leases, then approval deadlines, at `now` (ms), optionally for one owner. */
export async function sweepDue(db: Db, now: number, ownerId?: string): Promise<Due> {
  const leases = await sweepExpiredLeases(db, now, ownerId);
  const deadlines = await sweepExpiredApprovals(db, now, ownerId);
  const changes = [
    ...lostChanges(leases.lost),
    ...[...leases.expired, ...deadlines.expired].map((a) => approvalChanged(a.ownerId, a.id, a.taskId, 'expired')),
    ...deadlines.resumed.map((t) => taskChanged(t.ownerId, t.id, 'running')),
  ];
  return { changes, pushes: leases.lost.flatMap((t) => taskPush({ ...t, status: 'lost' }) ?? []) };
}

/** Lazily sweep one owner before a read or an agent write, and announce and push what fell due. */
export async function sweepOwner(c: Context<AppEnv>, ownerId: string): Promise<void> {
  const due = await sweepDue(c.var.db, c.var.deps.now(), ownerId);
  announce(c, due.changes);
  schedulePushes(c, due.pushes);
}
