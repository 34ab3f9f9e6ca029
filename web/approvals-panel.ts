// Where approvals show: the #approvals section at the top of the app (every pending approval, shown only when there
// is something to show), the open task's cards inline in #task-approvals, and the count in the document title.
import type { ApprovalBoard } from './approval-board.ts';
import { mountApprovalStack } from './approval-stack.ts';
import { pageTitle, pendingCount, visibleEntries } from './approval-state.ts';
import { required, showMessage } from './element.ts';

export type ApprovalsPanel = {
  /** Redraw everything from the board's current state. */
  draw(): void;
};

/**
 * Wire the panel: `section` (#approvals, holding #approvals-list and #approvals-error), `inline` (#task-approvals
 * inside the task view), and `openTaskId` (the task the view shows, or null).
 */
export function mountApprovalsPanel(deps: {
  section: HTMLElement;
  inline: HTMLElement;
  board: ApprovalBoard;
  openTaskId(): string | null;
  now(): number;
  report(error: unknown): void;
}): ApprovalsPanel {
  const { section, inline, board } = deps;
  const doc = section.ownerDocument;
  const error = required(section, '#approvals-error', HTMLElement);
  const decide = (id: string, decision: 'allow' | 'deny'): void => {
    board.decide(id, decision).catch(deps.report);
  };
  const top = mountApprovalStack(required(section, '#approvals-list', HTMLElement), decide);
  const inlineStack = mountApprovalStack(inline, decide);
  const taskOf = (taskId: string) => board.task(taskId);

  return {
    draw() {
      const now = deps.now();
      const state = board.state();
      const all = visibleEntries(state);
      top.draw(all, taskOf, now);
      showMessage(error, board.error());
      section.hidden = all.length === 0 && board.error() === '';
      const openId = deps.openTaskId();
      const mine = openId ? visibleEntries(state, openId) : [];
      inlineStack.draw(mine, taskOf, now);
      inline.hidden = mine.length === 0;
      const title = pageTitle(pendingCount(state, now));
      if (doc.title !== title) doc.title = title;
    },
  };
}
