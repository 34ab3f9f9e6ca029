// Starting pushes outside the response path: from a route (executionCtx.waitUntil) or from the cron. Push is off
// (nothing sent) when the Worker has no VAPID keys.
import type { Context } from 'hono';
import type { AppDeps, AppEnv, Db } from '../app-env.ts';
import type { Config } from '../env.ts';
import type { PushItem } from './push-message.ts';
import { sendPushes, type PushSendDeps } from './push-send.ts';

/** PushSendDeps from the parsed config, or null when push is off. Logs go to console.warn (no secrets). */
export function pushDeps(config: Config, db: Db, deps: AppDeps): PushSendDeps | null {
  if (!config.vapid) return null;
  return {
    db,
    vapid: config.vapid,
    fetch: deps.fetch,
    now: deps.now,
    allowLocalEndpoints: config.pushAllowLocalEndpoints,
    log: (line) => console.warn(line),
  };
}

/** Send `items` (nulls skipped) after the response, without holding it up. */
export function schedulePushes(c: Context<AppEnv>, items: readonly (PushItem | null)[]): void {
  const due = items.filter((item): item is PushItem => item !== null);
  if (due.length === 0) return;
  const deps = pushDeps(c.var.config, c.var.db, c.var.deps);
  if (deps) c.executionCtx.waitUntil(sendPushes(deps, due));
}
