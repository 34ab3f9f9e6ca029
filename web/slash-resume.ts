// /resume's picker: open sessions first ("continue this session" opens the task with its message box focused), then
// recent tasks (first line of the prompt, backend, status icon, age), searchable by text. Reads GET /api/tasks.
import type { TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { h } from './element.ts';
import type { Sheet } from './slash-sheet.ts';
import { resumeLists } from './slash-tasks.ts';
import { taskAge, taskRowContent } from './task-row.ts';

/** Open the picker with the owner's tasks; `open(id, session)` opens one (`session`: continue its open window). */
export async function openResumePicker(deps: {
  doc: Document;
  sheet: Sheet;
  api: Pick<Api, 'listTasks'>;
  now(): number;
  open(taskId: string, session: boolean): void;
}): Promise<void> {
  const { doc, sheet } = deps;
  const { tasks } = await deps.api.listTasks();
  const search = h(doc, 'input', {
    className: 'sheet-input',
    attrs: { type: 'search', id: 'resume-search', 'aria-label': 'Search tasks', placeholder: 'Search tasks', autocomplete: 'off', enterkeyhint: 'search' },
  });
  const lists = h(doc, 'div', { className: 'resume-lists' });

  const row = (task: TaskView, session: boolean): HTMLLIElement => {
    const button = h(
      doc,
      'button',
      { className: 'resume-row', attrs: { type: 'button' }, data: { taskId: task.id, kind: session ? 'session' : 'task', status: task.status } },
      ...taskRowContent(doc, task, [
        h(doc, 'span', { text: task.model ? `${task.backend} · ${task.model}` : task.backend }),
        taskAge(doc, task, deps.now()),
        ...(session ? [h(doc, 'span', { className: 'resume-continue', text: 'continue this session' })] : []),
      ]),
    );
    button.addEventListener('click', () => {
      sheet.close();
      deps.open(task.id, session);
    });
    return h(doc, 'li', {}, button);
  };

  const group = (title: string, id: string, tasks: TaskView[], session: boolean): HTMLElement[] =>
    tasks.length === 0
      ? []
      : [
          h(doc, 'h3', { className: 'sheet-subtitle', text: title, attrs: { id } }),
          h(doc, 'ul', { className: 'resume-list', attrs: { 'aria-labelledby': id } }, ...tasks.map((t) => row(t, session))),
        ];

  const draw = (): void => {
    const { open, recent } = resumeLists(tasks, deps.now(), search.value);
    const empty = search.value.trim() ? 'No task matches.' : 'No tasks yet.';
    lists.replaceChildren(
      ...group('Open sessions', 'resume-open-title', open, true),
      ...group('Recent tasks', 'resume-recent-title', recent, false),
      ...(open.length + recent.length === 0 ? [h(doc, 'p', { className: 'muted', text: empty })] : []),
    );
  };
  search.addEventListener('input', draw);
  draw();
  sheet.open({ name: 'resume', title: 'Resume', body: [search, lists] });
}

/**
 * Focus `box` once it shows (the task view shows a session's box after it has fetched the task): watches the `hidden`
 * attributes under `within`, and gives up after `timeoutMs`. A phone shows its keyboard only for focus that follows a
 * tap closely; the caret is in the box either way.
 */
export function focusWhenShown(box: HTMLTextAreaElement, within: HTMLElement, timeoutMs = 10_000): void {
  const win = box.ownerDocument.defaultView;
  if (!win) return;
  const tryFocus = (): boolean => {
    if (!box.isConnected || box.closest('[hidden]') !== null || box.getClientRects().length === 0) return false;
    box.focus();
    return true;
  };
  if (tryFocus()) return;
  const observer = new win.MutationObserver(() => {
    if (tryFocus()) stop();
  });
  const timer = win.setTimeout(() => stop(), timeoutMs);
  const stop = (): void => {
    observer.disconnect();
    win.clearTimeout(timer);
  };
  observer.observe(within, { attributes: true, attributeFilter: ['hidden'], subtree: true });
}
