// How a task is summarised in the list and the task view header. Pure: text in, text out.
import { STATUS_ICONS, type TaskStatus, type TaskView } from '../protocol/index.ts';

const STATUS_TEXT: Record<TaskStatus, string> = {
  queued: 'queued',
  running: 'running',
  waiting_approval: 'waiting for approval',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  timed_out: 'timed out',
  lost: 'lost',
};

/** The status glyph (protocol STATUS_ICONS) and a readable word for it. */
export function statusLabel(status: TaskStatus): { icon: string; text: string } {
  return { icon: STATUS_ICONS[status], text: STATUS_TEXT[status] };
}

/** The first non-blank line of a prompt, cut to `maxChars` characters with an ellipsis. */
export function firstLine(prompt: string, maxChars = 80): string {
  const line = prompt.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const chars = Array.from(line);
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('')}…` : line;
}

/** Tasks newest first (by createdAt, then id for a stable order). Returns a new array. */
export function newestFirst(tasks: readonly TaskView[]): TaskView[] {
  return [...tasks].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

/** Whether the phone may offer Cancel: the task has not started its end yet. */
export function canCancel(status: TaskStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'waiting_approval';
}
