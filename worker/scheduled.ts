// The cron trigger: sweep every owner's expired leases to `lost` and tell their rooms.
import { drizzle } from 'drizzle-orm/d1';
import type { AppDeps } from './app-env.ts';
import { schema } from './db/schema.ts';
import { parseEnv } from './env.ts';
import { sweepExpiredLeases } from './tasks/lease-sweep.ts';
import { notifyRoom, timerSleep } from './room-notify.ts';

/** Build the `scheduled` handler. Invalid config is logged and the run skipped (there is no caller to answer). */
export function createScheduled(deps: AppDeps): ExportedHandlerScheduledHandler<unknown> {
  return async (_controller, env, ctx) => {
    const parsed = parseEnv(env);
    if (!parsed.ok) {
      console.error(parsed.error);
      return;
    }
    const { config } = parsed;
    const lost = await sweepExpiredLeases(drizzle(config.db, { schema }), deps.now());
    const notify = { fetch: deps.fetch, partykitOrigin: config.partykitOrigin, roomSecret: config.roomSecret, log: (m: string) => console.warn(m), sleep: timerSleep };
    ctx.waitUntil(Promise.all(lost.map((t) => notifyRoom(notify, t.ownerId, t.id, 'lost'))));
  };
}
