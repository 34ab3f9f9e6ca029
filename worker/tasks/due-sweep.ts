// Everything that falls due with time alone: expired leases (→ lost) and approval deadlines (→ expired). Run on
// the cron for all owners and lazily, for one owner, before reads and agent writes. Returns what to announce.
import type { Context } from 'hono';
import type { AppEnv, Db } from '../app-env.ts';
import { sweepExpiredApprovals } from '../approvals/approval-expiry.ts';
import { sweepExpiredLeases } from './lease-sweep.ts';
import { announce, approvalChanged, lostChanges, taskChanged, type Change } from './announce.ts';

/** Sweep leases, then approval deadlines, at `now` (ms), optionally for one owner; the room notifications due. */
export async function sweepDue(db: Db, now: number, ownerId?: string): Promise<Change[]> {
  const leases = await sweepExpiredLeases(db, now, ownerId);
  const deadlines = await sweepExpiredApprovals(db, now, ownerId);
  return [
    ...lostChanges(leases.lost),
    ...[...leases.expired, ...deadlines.expired].map((a) => approvalChanged(a.ownerId, a.id, a.taskId, 'expired')),
    ...deadlines.resumed.map((t) => taskChanged(t.ownerId, t.id, 'running')),
  ];
}

/** Lazily sweep one owner before a read or an agent write, and announce what fell due. */
export async function sweepOwner(c: Context<AppEnv>, ownerId: string): Promise<void> {
  announce(c, await sweepDue(c.var.db, c.var.deps.now(), ownerId));
}
