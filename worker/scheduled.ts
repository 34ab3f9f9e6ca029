// The cron trigger: sweep every owner's expired leases (→ lost) and approval deadlines (→ expired), tell their rooms;
// prune rate-limit windows that have ended.
import { drizzle } from 'drizzle-orm/d1';
import type { AppDeps } from './app-env.ts';
import { schema } from './db/schema.ts';
import { parseEnv } from './env.ts';
import { pruneRateLimits } from './rate-limit.ts';
import { LONGEST_WINDOW_MS } from './rate-limit-rules.ts';
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
    const changes = await sweepDue(db, now);
    ctx.waitUntil(sendChanges(notifyDeps(config, deps.fetch), changes));
    await pruneRateLimits(db, now - LONGEST_WINDOW_MS);
  };
}
