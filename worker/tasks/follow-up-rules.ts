// The pure rules of follow-up messages (issue 3): when a task's window is open for one, how a stored follow-up
// relates to a retried POST, and why a delivery missed. No I/O; the routes turn them into SQL and 404/409.
import { isActive, type TaskStatus } from '../../protocol/index.ts';

/** The fields of a task row the window rule reads. `openUntil`: epoch ms, null when the window is closed. */
export type WindowState = { status: TaskStatus; openUntil: number | null };

/** Whether a follow-up is accepted at `now` (ms): the task succeeded and its window is open past `now`. */
export const isOpen = (t: WindowState, now: number): boolean => t.status === 'succeeded' && t.openUntil !== null && t.openUntil > now;

/** TaskView.openUntil: the window's end while it is open at `now`, else null. */
export const liveOpenUntil = (t: WindowState, now: number): number | null => (isOpen(t, now) ? t.openUntil : null);

/** Why a task is not open for a follow-up at `now` (the 409 detail the phone shows), or null when it is. */
export function whyNotOpen(t: WindowState, now: number): string | null {
  switch (t.status) {
    case 'queued':
      return 'the task has not started yet';
    case 'running':
    case 'waiting_approval':
      return 'the task is running: send the message once its turn has ended';
    case 'succeeded':
      if (t.openUntil === null) return 'the task’s window is closed: start a new task';
      if (t.openUntil <= now) return 'the task’s window closed: the time for follow-ups ran out';
      return null;
    default:
      return `the task ended ${t.status.replace('_', ' ')}: start a new task`;
  }
}

/** What a follow-up POST asks for: its owner, task and the body's id and text. */
export type FollowUpAsk = { ownerId: string; taskId: string; id: string; text: string };

/**
 * How a stored follow-up with the requested id answers a POST: `same` (a retry: 200 with the stored row) when owner,
 * task and text match; `clash` (409, or 404 when the task is not the caller's) when the id was used for anything else.
 */
export function retryOutcome(stored: { ownerId: string; taskId: string; text: string }, ask: FollowUpAsk): 'same' | 'clash' {
  return stored.ownerId === ask.ownerId && stored.taskId === ask.taskId && stored.text === ask.text ? 'same' : 'clash';
}

/**
 * Why a follow-up held by the calling agent's task was not delivered (the 409 detail): already delivered, or its
 * task is no longer active (`taskStatus`). Null when it was deliverable (the caller should not have missed).
 */
export function whyNotDelivered(followUpStatus: 'pending' | 'delivered', taskStatus: TaskStatus): string | null {
  if (followUpStatus === 'delivered') return 'the follow-up was already delivered';
  if (!isActive(taskStatus)) return `the task is ${taskStatus.replace('_', ' ')}: nothing to type into`;
  return null;
}
