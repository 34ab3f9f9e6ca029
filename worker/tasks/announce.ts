// Scheduling room notifications (task-changed, approval-changed) after D1 changed, outside the response path
// (waitUntil). Best effort with retries: D1 stays the truth whether or not the room hears of it.
import type { Context } from 'hono';
import type { ApprovalStatus, RoomNotification, TaskStatus } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import type { Config } from '../env.ts';
import { notifyRoom, timerSleep, type RoomNotifyDeps } from '../room-notify.ts';

/** One notification for one owner's room. */
export type Change = { ownerId: string; notification: RoomNotification };

export const taskChanged = (ownerId: string, taskId: string, status: TaskStatus): Change => ({
  ownerId,
  notification: { type: 'task-changed', taskId, status },
});

export const approvalChanged = (ownerId: string, approvalId: string, taskId: string, status: ApprovalStatus): Change => ({
  ownerId,
  notification: { type: 'approval-changed', approvalId, taskId, status },
});

/** Close the sockets of a revoked session or device (`sid`: the session id or device id its tickets carried). */
export const revoked = (ownerId: string, sid: string): Change => ({ ownerId, notification: { type: 'revoke', sid } });

/** RoomNotifyDeps from the parsed config (logs go to console.warn, without secrets). */
export const notifyDeps = (config: Config, fetcher: typeof fetch): RoomNotifyDeps => ({
  fetch: fetcher,
  partykitOrigin: config.partykitOrigin,
  roomSecret: config.roomSecret,
  log: (m: string) => console.warn(m),
  sleep: timerSleep,
});

/** Send every change to its owner's room, in parallel; resolves when all are done (never rejects). */
export const sendChanges = (deps: RoomNotifyDeps, changes: Change[]): Promise<boolean[]> =>
  Promise.all(changes.map((ch) => notifyRoom(deps, ch.ownerId, ch.notification)));

/** Notify each change's owner room after the response, with retries (best effort; never fails the request). */
export function announce(c: Context<AppEnv>, changes: Change[]): void {
  if (changes.length === 0) return;
  c.executionCtx.waitUntil(sendChanges(notifyDeps(c.var.config, c.var.deps.fetch), changes));
}

/** Sweep results (lost tasks) as announcements. */
export const lostChanges = (lost: { id: string; ownerId: string }[]): Change[] =>
  lost.map((t) => taskChanged(t.ownerId, t.id, 'lost'));
