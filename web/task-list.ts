// The task list (#tasks): newest first, one link per task with status icon, backend, workspace, prompt, age, and an
// "open" badge while its window is open for a follow-up. Renders what GET /api/tasks says; the room says when to refetch.
import type { TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { describeError } from './api-error.ts';
import { h } from './element.ts';
import { isOpenAt } from './follow-up-model.ts';
import { relativeTime } from './relative-time.ts';
import { routePath } from './routes.ts';
import { taskAge, taskRowContent } from './task-row.ts';
import { newestFirst } from './task-summary.ts';

export type TaskListView = {
  /** Refetch and redraw; a slower, older response never overwrites a newer one. */
  refresh(): Promise<void>;
  /** Redraw the relative times and drop "open" badges whose time ran out, without refetching. */
  tick(): void;
};

function taskItem(doc: Document, task: TaskView, nowMs: number): HTMLLIElement {
  const link = h(
    doc,
    'a',
    { className: 'task-link', attrs: { href: routePath({ kind: 'task', taskId: task.id }) } },
    ...taskRowContent(doc, task, [
      h(doc, 'span', { className: 'backend', text: task.backend }),
      h(doc, 'span', { className: 'workspace', text: task.workspace }),
      taskAge(doc, task, nowMs),
      ...(isOpenAt(task, nowMs) ? [openBadge(doc, task.openUntil ?? 0)] : []),
    ]),
  );
  return h(doc, 'li', { data: { taskId: task.id, status: task.status } }, link);
}

/** The badge of a task whose window is open until `untilMs` (epoch ms): the owner can send it a follow-up. */
function openBadge(doc: Document, untilMs: number): HTMLSpanElement {
  return h(doc, 'span', {
    className: 'badge-open',
    text: 'open',
    attrs: { title: 'Session open: send a follow-up' },
    data: { until: String(untilMs) },
  });
}

/**
 * Wire the list `<ul id="tasks">` and its error line. Items are plain links to /tasks/<id> (the navigator turns
 * taps into in-app navigation; long-press and new tabs still work). `now` gives epoch ms.
 */
export function mountTaskList(deps: {
  list: HTMLUListElement;
  error: HTMLElement;
  api: Pick<Api, 'listTasks'>;
  now(): number;
}): TaskListView {
  const { list, api } = deps;
  const doc = list.ownerDocument;
  let generation = 0;

  return {
    async refresh() {
      const mine = ++generation;
      try {
        const { tasks } = await api.listTasks();
        if (mine !== generation) return;
        const now = deps.now();
        const items = newestFirst(tasks).map((task) => taskItem(doc, task, now));
        list.replaceChildren(...(items.length ? items : [h(doc, 'li', { className: 'empty', text: 'No tasks yet.' })]));
        deps.error.hidden = true;
      } catch (failure) {
        if (mine !== generation) return;
        const { title, detail } = describeError(failure);
        deps.error.textContent = detail ? `${title}: ${detail}` : title;
        deps.error.hidden = false;
      }
    },
    tick() {
      const now = deps.now();
      for (const time of list.querySelectorAll<HTMLTimeElement>('time[data-at]')) {
        time.textContent = relativeTime(Number(time.dataset['at']), now);
      }
      for (const badge of list.querySelectorAll<HTMLElement>('.badge-open[data-until]')) {
        if (Number(badge.dataset['until']) <= now) badge.remove();
      }
    },
  };
}
