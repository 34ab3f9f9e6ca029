// The cron's agent-offline check: each non-revoked agent unseen for longer than the configured time is pushed about
// once per outage. The conditional UPDATE claims the outage, so two cron runs never push it twice; the agent-bearer
// middleware clears the mark when the agent is seen again.
import { and, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Db } from '../app-env.ts';
import { devices } from '../db/schema.ts';
import { agentOfflinePush, type PushItem } from './push-message.ts';

/** Mark (offline_pushed_at = now) every agent last seen before `now - offlineMs` (ms) and not yet marked; their pushes. */
export async function sweepOfflineAgents(db: Db, now: number, offlineMs: number): Promise<PushItem[]> {
  const marked = await db
    .update(devices)
    .set({ offlinePushedAt: now })
    .where(and(isNull(devices.revokedAt), isNotNull(devices.lastSeenAt), lt(devices.lastSeenAt, now - offlineMs), isNull(devices.offlinePushedAt)))
    .returning({ id: devices.id, ownerId: devices.ownerId, name: devices.name, lastSeenAt: devices.lastSeenAt });
  return marked.map((d) => agentOfflinePush({ ...d, lastSeenAt: d.lastSeenAt ?? 0 }));
}
