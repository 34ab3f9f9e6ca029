// A list of approval cards in one container, keyed by approval id: adds, removes and reorders cards without
// rebuilding the ones that stay (an open <details> stays open while the countdown ticks).
import type { TaskView } from '../protocol/index.ts';
import { createApprovalCard, type ApprovalCard } from './approval-card.ts';
import type { Decision, Entry } from './approval-state.ts';

export type ApprovalStack = {
  /** Show exactly `entries`, in that order, drawn at `nowMs`. */
  draw(entries: readonly Entry[], taskOf: (taskId: string) => TaskView | undefined, nowMs: number): void;
};

/** Mount a stack in `container`; taps on a card's buttons call `onDecide`. */
export function mountApprovalStack(container: HTMLElement, onDecide: (id: string, decision: Decision) => void): ApprovalStack {
  const doc = container.ownerDocument;
  const cards = new Map<string, ApprovalCard>();
  return {
    draw(entries, taskOf, nowMs) {
      const wanted = new Set(entries.map((entry) => entry.approval.id));
      for (const [id, card] of cards) {
        if (wanted.has(id)) continue;
        card.element.remove();
        cards.delete(id);
      }
      entries.forEach((entry, index) => {
        const { id } = entry.approval;
        let card = cards.get(id);
        if (!card) {
          card = createApprovalCard(doc, id, onDecide);
          cards.set(id, card);
        }
        card.draw(entry, taskOf(entry.approval.taskId), nowMs);
        if (container.children[index] !== card.element) container.insertBefore(card.element, container.children[index] ?? null);
      });
    },
  };
}
