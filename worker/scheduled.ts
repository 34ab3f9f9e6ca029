// The cron trigger: sweep every owner's expired leases (→ lost) and approval deadlines (→ expired), tell their rooms;
// push lost tasks and agents gone offline; prune rate-limit windows that have ended, unbound or no longer needed
// attachments, and push subscriptions of ended sessions.
import { drizzle } from 'drizzle-orm/d1';
import type { AppDeps } from './app-env.ts';
import { pruneAttachments } from './attachments/attachment-prune.ts';
import { schema } from './db/schema.ts';
import { parseEnv } from './env.ts';
import { pruneRateLimits } from './rate-limit.ts';
import { LONGEST_WINDOW_MS } from './rate-limit-rules.ts';
import { sweepOfflineAgents } from './push/agent-offline.ts';
import { pushDeps } from './push/push-dispatch.ts';
import { sendPushes } from './push/push-send.ts';
import { pruneSubscriptions } from './push/push-subscription-store.ts';
import { notifyDeps, sendChanges } from './tasks/announce.ts';
import { sweepDue } from './tasks/due-sweep.ts';

/** Build the `scheduled` handler. Invalid config is logged and the run skipped (there is no caller to answer). */
export function createScheduled(deps: AppDeps): ExportedHandlerScheduledHandler<unknown> {
  return async (_controller, env, ctx) => {
    const parsed = parseEnv(env);
    if (!parsed.ok) {
      console.error(parsed.error);
      return;
    }
    const { config } = parsed;
    const db = drizzle(config.db, { schema });
    const now = deps.now();
    const due = await sweepDue(db, now);
    ctx.waitUntil(sendChanges(notifyDeps(config, deps.fetch), due.changes));
    const push = pushDeps(config, db, deps);
    if (push) ctx.waitUntil(sendPushes(push, [...due.pushes, ...(await sweepOfflineAgents(db, now, config.agentOfflinePushMs))]));
    await pruneSubscriptions(db, now);
    await pruneRateLimits(db, now - LONGEST_WINDOW_MS);
    await pruneAttachments(db, now);
  };
}
