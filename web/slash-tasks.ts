// Which tasks the task commands act on: /abort's target (the task in view, else the newest one still running) and
// /resume's two lists (open sessions, then recent tasks), searchable by text. Pure: tasks and the time are arguments.
import type { TaskView } from '../protocol/index.ts';
import { isOpenAt } from './follow-up-model.ts';
import { canCancel, newestFirst, statusLabel } from './task-summary.ts';

/** What /abort should do: confirm cancelling `task`, or say why there is nothing to cancel. */
export type AbortTarget = { kind: 'cancel'; task: TaskView } | { kind: 'none'; message: string };

/**
 * /abort's target. With a task in view (`inView`, fresh from the API): that task while it can still stop. Without
 * one: the newest of `tasks` still queued, running or waiting for approval.
 */
export function abortTarget(inView: TaskView | null, tasks: readonly TaskView[]): AbortTarget {
  if (inView) {
    if (canCancel(inView.status)) return { kind: 'cancel', task: inView };
    return { kind: 'none', message: `This task has already ended (${statusLabel(inView.status).text}).` };
  }
  const running = newestFirst(tasks).find((t) => canCancel(t.status));
  return running ? { kind: 'cancel', task: running } : { kind: 'none', message: 'Nothing is running.' };
}

/** How many recent tasks /resume lists at most (after filtering). */
export const RESUME_RECENT_MAX = 30;

/** /resume's lists: tasks whose CLI window is still open (a session to continue), then the other recent tasks. */
export type ResumeLists = { open: TaskView[]; recent: TaskView[] };

/** Whether `task` matches every word of `query` (case-insensitive) in its prompt, backend, workspace, model or status. */
export function matchesQuery(task: TaskView, query: string): boolean {
  const haystack = [task.prompt, task.backend, task.workspace, task.model ?? '', statusLabel(task.status).text].join('\n').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The two lists for `query` at `nowMs` (epoch ms), each newest first; `recent` holds at most RESUME_RECENT_MAX. */
export function resumeLists(tasks: readonly TaskView[], nowMs: number, query: string): ResumeLists {
  const found = newestFirst(tasks).filter((t) => matchesQuery(t, query));
  return {
    open: found.filter((t) => isOpenAt(t, nowMs)),
    recent: found.filter((t) => !isOpenAt(t, nowMs)).slice(0, RESUME_RECENT_MAX),
  };
}
