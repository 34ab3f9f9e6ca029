// The inside of a task row, shared by the task list and /resume's picker: the status icon (named for screen readers),
// the prompt's first line and a meta line of the caller's parts. Builds DOM only; the caller wraps it in its link or button.
import type { TaskView } from '../protocol/index.ts';
import { h } from './element.ts';
import { relativeTime } from './relative-time.ts';
import { firstLine, statusLabel } from './task-summary.ts';

/** The status icon and the summary (first line of the prompt, then `meta` in a `.meta` line) of `task`. */
export function taskRowContent(doc: Document, task: TaskView, meta: Node[]): [HTMLSpanElement, HTMLSpanElement] {
  const status = statusLabel(task.status);
  return [
    h(doc, 'span', { className: 'icon', text: status.icon, attrs: { title: status.text, 'aria-label': status.text } }),
    h(
      doc,
      'span',
      { className: 'summary' },
      h(doc, 'span', { className: 'first-line', text: firstLine(task.prompt) || '(empty prompt)' }),
      h(doc, 'span', { className: 'meta' }, ...meta),
    ),
  ];
}

/** `<time>` of the task's age at `nowMs` (epoch ms); `data-at` keeps createdAt so a list can redraw it later. */
export function taskAge(doc: Document, task: TaskView, nowMs: number): HTMLTimeElement {
  return h(doc, 'time', {
    text: relativeTime(task.createdAt, nowMs),
    attrs: { datetime: new Date(task.createdAt).toISOString() },
    data: { at: String(task.createdAt) },
  });
}
