// The task view's auto-allow control (#auto-allow): 5 / 15 / 60 minutes, the line saying what is on, and Stop.
// Sends POST /api/tasks/:id/auto-allow and hands the returned task back; the home agent enforces it.
import type { TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { describeError } from './api-error.ts';
import { AUTO_ALLOW_CHOICES, POLICY_NOTE, autoAllowModel } from './auto-allow.ts';
import { h, required, showMessage } from './element.ts';

export type AutoAllowControl = {
  /** Redraw for `task` (null: no task open) at `nowMs`. */
  draw(task: TaskView | null, nowMs: number): void;
};

/**
 * Wire the control inside `root` (needs #auto-allow-choices, #auto-allow-status, #auto-allow-stop, #auto-allow-note,
 * #auto-allow-error). `onTask` gets the task the Worker returns.
 */
export function mountAutoAllow(deps: {
  root: HTMLElement;
  api: Pick<Api, 'autoAllow'>;
  onTask(task: TaskView): void;
  report(error: unknown): void;
}): AutoAllowControl {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const choices = required(root, '#auto-allow-choices', HTMLElement);
  const status = required(root, '#auto-allow-status', HTMLElement);
  const stop = required(root, '#auto-allow-stop', HTMLButtonElement);
  const error = required(root, '#auto-allow-error', HTMLElement);
  required(root, '#auto-allow-note', HTMLElement).textContent = POLICY_NOTE;
  const buttons = AUTO_ALLOW_CHOICES.map((minutes) =>
    h(doc, 'button', { className: 'secondary', text: `${minutes} min`, attrs: { type: 'button' }, data: { minutes: String(minutes) } }),
  );
  choices.replaceChildren(...buttons);
  let task: TaskView | null = null;
  let busy = false;

  const setBusy = (value: boolean): void => {
    busy = value;
    for (const button of [...buttons, stop]) button.disabled = value;
  };

  const send = async (minutes: number): Promise<void> => {
    if (!task || busy) return;
    const taskId = task.id;
    setBusy(true);
    showMessage(error, '');
    try {
      const view = await api.autoAllow(taskId, minutes);
      if (task?.id === taskId) deps.onTask(view);
    } catch (failure) {
      const { title, detail } = describeError(failure);
      if (task?.id === taskId) showMessage(error, detail ? `${title}: ${detail}` : title);
    } finally {
      setBusy(false);
    }
  };

  for (const button of buttons) {
    button.addEventListener('click', () => send(Number(button.dataset['minutes'])).catch(deps.report));
  }
  stop.addEventListener('click', () => send(0).catch(deps.report));

  return {
    draw(next, nowMs) {
      if (next?.id !== task?.id) showMessage(error, '');
      task = next;
      const model = next ? autoAllowModel(next, nowMs) : { shown: false, on: false, text: '' };
      root.hidden = !model.shown;
      root.dataset['on'] = String(model.on);
      showMessage(status, model.text);
      stop.hidden = !model.on;
    },
  };
}
