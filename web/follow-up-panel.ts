// The task view's conversation (#follow-ups: the prompt, then each follow-up with its time and state) and, while the
// task's window is open, the countdown, the message box (#follow-up), Send (#send-follow-up) and End session
// (#close-session). Sends through the injected api; the task view refetches the task after each change (D1 is the truth).
import type { FollowUpView, TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError, describeError } from './api-error.ts';
import { clockTime } from './auto-allow.ts';
import { h, required, showMessage } from './element.ts';
import { conversation, hasConversation, isOpenAt, openLine, outgoing, type ConversationEntry, type Outgoing } from './follow-up-model.ts';

export type FollowUpPanel = {
  /** Redraw for `task` (null: no task open) at `nowMs` (epoch ms): the countdown, and the box once it runs out. */
  draw(task: TaskView | null, nowMs: number): void;
};

const STATE_TEXT: Record<ConversationEntry['state'], { text: string; title: string }> = {
  prompt: { text: 'prompt', title: 'The task’s prompt' },
  sent: { text: 'sent', title: 'Accepted: waiting to be typed into the window' },
  typed: { text: 'typed', title: 'Typed into the CLI’s window' },
};

function entryItem(doc: Document, entry: ConversationEntry): HTMLLIElement {
  const state = STATE_TEXT[entry.state];
  return h(
    doc,
    'li',
    { className: 'turn', data: { kind: entry.kind, state: entry.state, ...(entry.kind === 'follow-up' ? { followUpId: entry.key } : {}) } },
    h(doc, 'p', { className: 'turn-text', text: entry.text }),
    h(
      doc,
      'p',
      { className: 'turn-meta' },
      h(doc, 'time', { text: clockTime(entry.at), attrs: { datetime: new Date(entry.at).toISOString() } }),
      h(doc, 'span', { className: 'turn-state', text: state.text, attrs: { title: state.title } }),
    ),
  );
}

/**
 * Wire the panel inside `root` (needs #conversation, #follow-ups, #follow-up-form with #follow-up-open, #follow-up,
 * #send-follow-up and #close-session, and #follow-up-error outside the form so it outlives the box). `promptBox` (the
 * collapsed prompt) is hidden while the conversation shows the prompt. `newId` gives a fresh FollowUpId
 * (crypto.randomUUID); `onChanged` refetches the task.
 */
export function mountFollowUpPanel(deps: {
  root: HTMLElement;
  promptBox: HTMLElement;
  api: Pick<Api, 'sendFollowUp' | 'closeSession'>;
  newId(): string;
  onChanged(taskId: string): void;
  report(error: unknown): void;
}): FollowUpPanel {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const section = required(root, '#conversation', HTMLElement);
  const list = required(root, '#follow-ups', HTMLOListElement);
  const form = required(root, '#follow-up-form', HTMLFormElement);
  const box = required(root, '#follow-up', HTMLTextAreaElement);
  const send = required(root, '#send-follow-up', HTMLButtonElement);
  const end = required(root, '#close-session', HTMLButtonElement);
  const openText = required(root, '#follow-up-open', HTMLElement);
  const error = required(root, '#follow-up-error', HTMLElement);

  let task: TaskView | null = null;
  /** The newest follow-ups seen for the shown task: views from cancel or auto-allow carry none. */
  let known: { taskId: string; followUps: readonly FollowUpView[] } | null = null;
  /** The last message sent (or tried): a retry of the same text reuses its id. */
  let last: Outgoing | null = null;
  let drawnList = '';
  let busy = false;

  const setBusy = (value: boolean): void => {
    busy = value;
    send.disabled = value || box.value.trim() === '';
    end.disabled = value;
    send.textContent = value ? 'Sending…' : 'Send';
    form.setAttribute('aria-busy', String(value));
  };

  const fail = (taskId: string, failure: unknown): void => {
    if (task?.id !== taskId) return;
    const { title, detail } = describeError(failure);
    showMessage(error, detail ? `${title}: ${detail}` : title);
    // The task moved on (running, closed, ended): show what it is now.
    if (failure instanceof ApiError && failure.code === 'conflict') deps.onChanged(taskId);
  };

  const sendNow = async (): Promise<void> => {
    if (!task || busy) return;
    const taskId = task.id;
    const message = outgoing(last, taskId, box.value, deps.newId);
    last = message;
    setBusy(true);
    showMessage(error, '');
    try {
      await api.sendFollowUp(taskId, message.id, message.text);
      if (last === message) last = null;
      if (task?.id !== taskId) return;
      if (box.value === message.text) box.value = '';
      deps.onChanged(taskId);
    } catch (failure) {
      fail(taskId, failure);
    } finally {
      setBusy(false);
    }
  };

  const endNow = async (): Promise<void> => {
    if (!task || busy) return;
    const taskId = task.id;
    setBusy(true);
    showMessage(error, '');
    try {
      await api.closeSession(taskId);
      if (task?.id === taskId) deps.onChanged(taskId);
    } catch (failure) {
      fail(taskId, failure);
    } finally {
      setBusy(false);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sendNow().catch(deps.report);
  });
  box.addEventListener('input', () => setBusy(busy));
  // Ctrl/⌘+Enter sends from a keyboard; Enter alone is a new line (the message may have several).
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  end.addEventListener('click', () => endNow().catch(deps.report));

  const drawList = (view: TaskView, followUps: readonly FollowUpView[]): void => {
    const entries = conversation(view, followUps);
    const key = JSON.stringify(entries.map((e) => [e.key, e.state]));
    if (key === drawnList) return;
    drawnList = key;
    list.replaceChildren(...entries.map((entry) => entryItem(doc, entry)));
  };

  return {
    draw(next, nowMs) {
      if (next?.id !== task?.id) {
        box.value = '';
        last = null;
        drawnList = '';
        showMessage(error, '');
      }
      task = next;
      if (!next) {
        section.hidden = true;
        form.hidden = true;
        deps.promptBox.hidden = false;
        known = null;
        return;
      }
      if (next.followUps) known = { taskId: next.id, followUps: next.followUps };
      const followUps = known?.taskId === next.id ? known.followUps : [];
      // The Worker took the message though its answer was lost (a network error): it is in the conversation now.
      if (!busy && last && followUps.some((f) => f.id === last?.id)) {
        if (box.value === last.text) box.value = '';
        last = null;
        showMessage(error, '');
      }
      const shown = hasConversation({ ...next, followUps: [...followUps] }, nowMs);
      section.hidden = !shown;
      deps.promptBox.hidden = shown;
      if (shown) drawList(next, followUps);
      const open = isOpenAt(next, nowMs);
      form.hidden = !open;
      if (open && next.openUntil) openText.textContent = openLine(next.openUntil, nowMs);
      setBusy(busy);
    },
  };
}
