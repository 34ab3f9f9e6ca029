// Scheduling room notifications after a task's status changed, outside the response path (waitUntil).
import type { Context } from 'hono';
import type { TaskStatus } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { notifyRoom, timerSleep } from '../room-notify.ts';

/** Notify each change's owner room after the response, with retries (best effort; never fails the request). */
export function announce(c: Context<AppEnv>, changes: { ownerId: string; taskId: string; status: TaskStatus }[]): void {
  if (changes.length === 0) return;
  const deps = {
    fetch: c.var.deps.fetch,
    partykitOrigin: c.var.config.partykitOrigin,
    roomSecret: c.var.config.roomSecret,
    log: (m: string) => console.warn(m),
    sleep: timerSleep,
  };
  const work = Promise.all(changes.map((ch) => notifyRoom(deps, ch.ownerId, ch.taskId, ch.status)));
  c.executionCtx.waitUntil(work);
}

/** Sweep results (lost tasks) as announcements. */
export const lostChanges = (lost: { id: string; ownerId: string }[]) =>
  lost.map((t) => ({ ownerId: t.ownerId, taskId: t.id, status: 'lost' as const }));
