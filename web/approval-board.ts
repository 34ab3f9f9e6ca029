// The phone's live set of approvals: fetches the pending list, sends decisions (once, never queued), folds in room
// changes and the clock, and tells its listeners. State transitions are approval-state.ts; this file only does I/O.
import type { ApprovalStatus, TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { describeError } from './api-error.ts';
import { failureOutcome } from './approval-outcome.ts';
import {
  approvalChanged,
  beginDecision,
  decisionApplied,
  decisionFailed,
  emptyApprovalState,
  mergePending,
  prune,
  type ApprovalState,
  type Decision,
} from './approval-state.ts';

export type ApprovalBoard = {
  /** Refetch the pending list (and any task not yet known); a slower, older answer never overwrites a newer one. */
  refresh(): Promise<void>;
  /** Send the owner's decision for `id` with the inputHash the card shows; does nothing if the card cannot be decided. */
  decide(id: string, decision: Decision): Promise<void>;
  /** The room's `approval-changed`: settle the card if it is open. The caller also refreshes. */
  changed(approvalId: string, status: ApprovalStatus): void;
  /** Advance the clock: cards whose time is up leave; listeners redraw countdowns. */
  tick(): void;
  state(): ApprovalState;
  /** The task an approval belongs to, once fetched. */
  task(taskId: string): TaskView | undefined;
  /** Why the last refresh failed, or '' after a good one. */
  error(): string;
  /** Call `listener` after every change and every tick. */
  listen(listener: () => void): void;
};

/** Create the board. `now` gives epoch ms; `report` takes failures that are bugs, not expected API errors. */
export function createApprovalBoard(deps: {
  api: Pick<Api, 'listApprovals' | 'decideApproval' | 'getTask'>;
  now(): number;
  report(error: unknown): void;
}): ApprovalBoard {
  const { api } = deps;
  let state = emptyApprovalState();
  let lastError = '';
  let generation = 0;
  const tasks = new Map<string, TaskView>();
  const fetchingTasks = new Set<string>();
  const listeners: Array<() => void> = [];

  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  const set = (next: ApprovalState): void => {
    if (next === state) return;
    state = next;
    notify();
  };

  /** Fetch the tasks behind the cards once each; a failure leaves the card showing only the tool request. */
  const learnTasks = (): void => {
    for (const { approval } of state.entries.values()) {
      const { taskId } = approval;
      if (tasks.has(taskId) || fetchingTasks.has(taskId)) continue;
      fetchingTasks.add(taskId);
      api
        .getTask(taskId)
        .then((view) => {
          tasks.set(taskId, view);
          notify();
        })
        .catch(() => undefined)
        .finally(() => fetchingTasks.delete(taskId));
    }
  };

  const refresh = async (): Promise<void> => {
    const mine = ++generation;
    try {
      const { approvals } = await api.listApprovals('pending');
      if (mine !== generation) return;
      lastError = '';
      state = mergePending(state, approvals, deps.now());
      notify();
      learnTasks();
    } catch (failure) {
      if (mine !== generation) return;
      const { title, detail } = describeError(failure);
      lastError = `Cannot load approvals: ${detail ? `${title}: ${detail}` : title}`;
      notify();
    }
  };

  return {
    refresh,
    async decide(id, decision) {
      const started = beginDecision(state, id, decision, deps.now());
      if (!started.send) return;
      set(started.state);
      const { inputHash } = started.send;
      try {
        const view = await api.decideApproval(id, decision, inputHash);
        set(decisionApplied(state, view, deps.now()));
      } catch (failure) {
        set(decisionFailed(state, id, failureOutcome(failure), deps.now()));
      }
      refresh().catch(deps.report);
    },
    changed(approvalId, status) {
      set(approvalChanged(state, approvalId, status, deps.now()));
    },
    tick() {
      state = prune(state, deps.now());
      notify();
    },
    state: () => state,
    task: (taskId) => tasks.get(taskId),
    error: () => lastError,
    listen(listener) {
      listeners.push(listener);
    },
  };
}
