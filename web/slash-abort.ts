// /abort: find the task to cancel (the one in view, else the newest still running), name it in a confirm sheet since
// cancelling kills its work, then POST /api/tasks/:id/cancel. The views learn the new status from the room.
import type { TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError, errorLine } from './api-error.ts';
import { h } from './element.ts';
import type { Sheet } from './slash-sheet.ts';
import { abortTarget } from './slash-tasks.ts';
import { firstLine, statusLabel } from './task-summary.ts';

/** Run /abort. `say` shows the outcome under the box the command came from. Rejects only on a bug. */
export async function runAbort(deps: {
  doc: Document;
  sheet: Sheet;
  api: Pick<Api, 'getTask' | 'listTasks' | 'cancelTask'>;
  openTaskId(): string | null;
  say(message: string): void;
}): Promise<void> {
  const { doc, sheet, api } = deps;
  let target;
  try {
    const inView = deps.openTaskId();
    target = inView ? abortTarget(await api.getTask(inView), []) : abortTarget(null, (await api.listTasks()).tasks);
  } catch (failure) {
    return deps.say(errorLine(failure));
  }
  if (target.kind === 'none') return deps.say(target.message);
  const task = target.task;
  const name = firstLine(task.prompt, 60) || '(empty prompt)';

  const cancel = async (button: HTMLButtonElement): Promise<void> => {
    button.disabled = true;
    try {
      await api.cancelTask(task.id);
      sheet.close();
      deps.say(`Cancelled “${name}”.`);
    } catch (failure) {
      sheet.close();
      const ended = failure instanceof ApiError && failure.code === 'conflict';
      deps.say(ended ? `“${name}” had already ended.` : errorLine(failure));
    }
  };
  const yes = h(doc, 'button', { className: 'danger', text: 'Cancel the task', attrs: { type: 'button' } });
  const no = h(doc, 'button', { className: 'secondary', text: 'Keep it running', attrs: { type: 'button', autofocus: '' } });
  yes.addEventListener('click', () => {
    cancel(yes).catch((failure: unknown) => deps.say(errorLine(failure)));
  });
  no.addEventListener('click', () => sheet.close());
  sheet.open({
    name: 'abort',
    title: 'Cancel this task?',
    body: [taskLine(doc, task, name), h(doc, 'p', { className: 'muted', text: 'Its program is stopped and unfinished work is lost.' }), h(doc, 'div', { className: 'sheet-buttons' }, no, yes)],
  });
}

function taskLine(doc: Document, task: TaskView, name: string): HTMLElement {
  const status = statusLabel(task.status);
  return h(
    doc,
    'p',
    { className: 'sheet-task', data: { taskId: task.id } },
    h(doc, 'span', { className: 'icon', text: status.icon, attrs: { 'aria-hidden': 'true' } }),
    h(doc, 'strong', { className: 'sheet-task-name', text: name }),
    h(doc, 'span', { className: 'muted', text: ` — ${task.backend}, ${status.text}` }),
  );
}
