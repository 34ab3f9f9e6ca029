// One approval card, `<article data-approval-id data-status>`: the task, the tool, the exact command or file, the cwd,
// the full detail, where it came from, a live countdown, and Allow / Deny. Built once, redrawn in place; text only.
import type { TaskView } from '../protocol/index.ts';
import { cardModel } from './approval-card-model.ts';
import type { Decision, Entry } from './approval-state.ts';
import { h } from './element.ts';
import { routePath } from './routes.ts';
import { firstLine } from './task-summary.ts';

export type ApprovalCard = {
  readonly element: HTMLElement;
  /** Redraw for `entry` at `nowMs`; `task` is the approval's task when known. */
  draw(entry: Entry, task: TaskView | undefined, nowMs: number): void;
};

const SOURCE_TEXT = {
  hook: 'asked by the CLI’s permission hook',
  screen: 'read from the screen; answered with keys',
} as const;

/** Set text only when it differs, so a redraw every second leaves selection and layout alone. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** The task line: "backend · workspace · first prompt line", or a short id until the task is fetched. */
function taskLine(taskId: string, task: TaskView | undefined): string {
  if (!task) return `task ${taskId.slice(0, 8)}`;
  return [task.backend, task.workspace, firstLine(task.prompt, 60)].filter(Boolean).join(' · ');
}

/**
 * Build the card for approval `id`. Taps on Allow / Deny call `onDecide`; the task line is a plain link to the
 * task (the navigator makes it in-app).
 */
export function createApprovalCard(doc: Document, id: string, onDecide: (id: string, decision: Decision) => void): ApprovalCard {
  const taskText = h(doc, 'span', { className: 'approval-task-text' });
  const taskLink = h(doc, 'a', { className: 'approval-task' }, h(doc, 'span', { className: 'icon', text: '⏸', attrs: { 'aria-hidden': 'true' } }), taskText);
  const tool = h(doc, 'span', { className: 'approval-tool' });
  const clock = h(doc, 'span', { className: 'approval-countdown', attrs: { role: 'timer' } });
  const summary = h(doc, 'pre', { className: 'approval-summary' });
  const cwd = h(doc, 'p', { className: 'approval-cwd' });
  const detailText = h(doc, 'pre', { className: 'approval-detail-text' });
  const detail = h(doc, 'details', { className: 'approval-detail' }, h(doc, 'summary', { text: 'Full request' }), detailText);
  const source = h(doc, 'p', { className: 'approval-source' });
  const message = h(doc, 'p', { className: 'approval-message', attrs: { role: 'status', 'aria-live': 'polite' } });
  const deny = h(doc, 'button', { className: 'deny', text: 'Deny', attrs: { type: 'button' }, data: { action: 'deny' } });
  const allow = h(doc, 'button', { className: 'allow', text: 'Allow', attrs: { type: 'button' }, data: { action: 'allow' } });
  const element = h(
    doc,
    'article',
    { className: 'approval', data: { approvalId: id } },
    taskLink,
    h(doc, 'div', { className: 'approval-head' }, tool, clock),
    summary,
    cwd,
    detail,
    source,
    message,
    h(doc, 'div', { className: 'approval-buttons' }, deny, allow),
  );
  deny.addEventListener('click', () => onDecide(id, 'deny'));
  allow.addEventListener('click', () => onDecide(id, 'allow'));

  return {
    element,
    draw(entry, task, nowMs) {
      const { approval } = entry;
      const { request } = approval;
      const model = cardModel(entry, nowMs);
      element.dataset['status'] = model.status;
      element.dataset['urgency'] = model.countdown?.urgency ?? 'none';
      element.dataset['taskId'] = approval.taskId;
      const href = routePath({ kind: 'task', taskId: approval.taskId });
      if (taskLink.getAttribute('href') !== href) taskLink.setAttribute('href', href);
      setText(taskText, taskLine(approval.taskId, task));
      setText(tool, request.tool);
      setText(clock, model.countdown?.text ?? '');
      clock.hidden = model.countdown === null;
      setText(summary, request.summary || '(no summary)');
      setText(cwd, request.cwd ? `in ${request.cwd}` : '');
      cwd.hidden = !request.cwd;
      setText(detailText, request.detail);
      detail.hidden = request.detail === '' || request.detail === request.summary;
      setText(source, SOURCE_TEXT[request.source]);
      setText(message, model.message);
      message.hidden = model.message === '';
      allow.disabled = deny.disabled = !model.buttonsEnabled;
    },
  };
}
