// The follow-up side of one task (issue 3): whether its window is open, the countdown line, the conversation
// (prompt, then follow-ups), and which id a message goes out with. Pure: the time and the id source are arguments.
import { isTerminal, type FollowUpView, type TaskView } from '../protocol/index.ts';
import { clockTime } from './auto-allow.ts';
import { formatDuration } from './relative-time.ts';

type WindowFields = Pick<TaskView, 'status' | 'openUntil'>;

/** Whether a follow-up is accepted at `nowMs`: the task succeeded and its window is open past `nowMs` (epoch ms). */
export const isOpenAt = (task: WindowFields, nowMs: number): boolean =>
  task.status === 'succeeded' && task.openUntil !== null && task.openUntil !== undefined && task.openUntil > nowMs;

/** Whether the task view follows the live pane: the task has not ended, or its window is open for a follow-up. */
export const followsLive = (task: WindowFields, nowMs: number): boolean => !isTerminal(task.status) || isOpenAt(task, nowMs);

/** The line under the message box while the window is open: how long it stays open, and until when (HH:MM). */
export function openLine(openUntilMs: number, nowMs: number): string {
  return `Session open for ${formatDuration(openUntilMs - nowMs)} more (until ${clockTime(openUntilMs)}).`;
}

/** One line of the conversation: the task's prompt, or a follow-up with its state (sent: pending, typed: delivered). */
export type ConversationEntry = {
  key: string;
  kind: 'prompt' | 'follow-up';
  text: string;
  /** When it was sent, epoch ms. */
  at: number;
  state: 'prompt' | 'sent' | 'typed';
};

/** Whether the view shows the conversation: the task has follow-ups, or its window is open for one. */
export const hasConversation = (task: WindowFields & Pick<TaskView, 'followUps'>, nowMs: number): boolean =>
  (task.followUps?.length ?? 0) > 0 || isOpenAt(task, nowMs);

/** The prompt, then the follow-ups oldest first (by createdAt, then id for a stable order). */
export function conversation(task: Pick<TaskView, 'id' | 'prompt' | 'createdAt'>, followUps: readonly FollowUpView[]): ConversationEntry[] {
  const sorted = [...followUps].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return [
    { key: `prompt-${task.id}`, kind: 'prompt', text: task.prompt, at: task.createdAt, state: 'prompt' },
    ...sorted.map((f): ConversationEntry => ({
      key: f.id,
      kind: 'follow-up',
      text: f.text,
      at: f.createdAt,
      state: f.status === 'delivered' ? 'typed' : 'sent',
    })),
  ];
}

/** A message on its way to one task: the id it goes out with (FollowUpRequest.id) and its text. */
export type Outgoing = { taskId: string; id: string; text: string };

/**
 * What to send `text` to `taskId` with: the id of `last` when it is the same message to the same task (a retry after a
 * failure, so the Worker answers 200 with the stored one and it is never typed twice), else a fresh id from `newId`.
 */
export function outgoing(last: Outgoing | null, taskId: string, text: string, newId: () => string): Outgoing {
  if (last && last.taskId === taskId && last.text === text) return last;
  return { taskId, id: newId(), text };
}
