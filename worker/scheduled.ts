// The cron trigger: sweep every owner's expired leases (→ lost) and approval deadlines (→ expired), tell their rooms.
import { drizzle } from 'drizzle-orm/d1';
import type { AppDeps } from './app-env.ts';
import { schema } from './db/schema.ts';
import { parseEnv } from './env.ts';
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
    const changes = await sweepDue(drizzle(config.db, { schema }), deps.now());
    ctx.waitUntil(sendChanges(notifyDeps(config, deps.fetch), changes));
  };
}
