// The approval cards' life: merging fetched lists, deciding once, settling, leaving, and what each card shows.
import { describe, expect, it } from 'vitest';
import { ApprovalView } from '../protocol/index.ts';
import { cardModel } from './approval-card-model.ts';
import {
  DECIDED_LINGER_MS,
  EXPIRED_LINGER_MS,
  REFUSED_LINGER_MS,
  approvalChanged,
  beginDecision,
  decisionApplied,
  decisionFailed,
  emptyApprovalState,
  mergePending,
  pageTitle,
  pendingCount,
  prune,
  visibleEntries,
  type ApprovalState,
} from './approval-state.ts';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const TASK_A = '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11';
const TASK_B = '7f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11';
const HASH = 'a'.repeat(64);

function approval(n: number, over: Partial<ApprovalView> = {}): ApprovalView {
  return ApprovalView.parse({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    taskId: TASK_A,
    status: 'pending',
    inputHash: HASH,
    createdAt: NOW - 60_000,
    deadlineAt: NOW + 30 * 60_000,
    decidedAt: null,
    decidedBy: null,
    request: { tool: 'Bash', summary: 'rm -rf build', detail: '{"command":"rm -rf build"}', cwd: '/home/me/demo', source: 'hook' },
    ...over,
  });
}
const A1 = approval(1);
const A2 = approval(2, { deadlineAt: NOW + 5 * 60_000, taskId: TASK_B });

const ids = (state: ApprovalState, taskId?: string) => visibleEntries(state, taskId).map((e) => e.approval.id);
const phaseOf = (state: ApprovalState, id: string) => state.entries.get(id)?.phase.kind;

describe('mergePending', () => {
  it('shows pending approvals soonest deadline first, and filters by task', () => {
    const state = mergePending(emptyApprovalState(), [A1, A2], NOW);
    expect(ids(state)).toEqual([A2.id, A1.id]);
    expect(ids(state, TASK_A)).toEqual([A1.id]);
    expect(pendingCount(state, NOW)).toBe(2);
  });

  it('drops an open card the list no longer has (decided elsewhere)', () => {
    const state = mergePending(mergePending(emptyApprovalState(), [A1, A2], NOW), [A1], NOW);
    expect(ids(state)).toEqual([A1.id]);
  });

  it('keeps a card in flight even when a list fetched meanwhile lacks it', () => {
    const sending = beginDecision(mergePending(emptyApprovalState(), [A1], NOW), A1.id, 'allow', NOW).state;
    expect(phaseOf(mergePending(sending, [], NOW), A1.id)).toBe('sending');
  });

  it('never brings back a settled approval from a stale list', () => {
    let state = beginDecision(mergePending(emptyApprovalState(), [A1], NOW), A1.id, 'deny', NOW).state;
    state = decisionApplied(state, { ...A1, status: 'denied', decidedAt: NOW }, NOW);
    state = prune(state, NOW + DECIDED_LINGER_MS);
    expect(ids(state)).toEqual([]);
    expect(ids(mergePending(state, [A1], NOW + DECIDED_LINGER_MS))).toEqual([]);
  });

  it('does not flash an approval that expired long ago', () => {
    const old = approval(3, { deadlineAt: NOW - EXPIRED_LINGER_MS });
    expect(ids(mergePending(emptyApprovalState(), [old], NOW))).toEqual([]);
  });
});

describe('deciding', () => {
  const open = mergePending(emptyApprovalState(), [A1], NOW);

  it('sends the approval’s inputHash once, and not while in flight', () => {
    const first = beginDecision(open, A1.id, 'allow', NOW);
    expect(first.send).toEqual({ id: A1.id, decision: 'allow', inputHash: HASH });
    expect(beginDecision(first.state, A1.id, 'deny', NOW).send).toBeNull();
    expect(pendingCount(first.state, NOW)).toBe(1);
  });

  it('refuses a tap at or past the deadline', () => {
    expect(beginDecision(open, A1.id, 'allow', A1.deadlineAt).send).toBeNull();
    expect(beginDecision(open, 'nope', 'allow', NOW).send).toBeNull();
  });

  it('a 200 shows the outcome briefly, then the card leaves', () => {
    let state = beginDecision(open, A1.id, 'allow', NOW).state;
    state = decisionApplied(state, { ...A1, status: 'allowed', decidedAt: NOW }, NOW);
    const entry = state.entries.get(A1.id)!;
    expect(cardModel(entry, NOW)).toMatchObject({ status: 'allowed', message: 'Allowed', buttonsEnabled: false });
    expect(pendingCount(state, NOW)).toBe(0);
    expect(ids(prune(state, NOW + DECIDED_LINGER_MS - 1))).toEqual([A1.id]);
    expect(ids(prune(state, NOW + DECIDED_LINGER_MS))).toEqual([]);
  });

  it('a 409 shows the server’s reason, then the card leaves', () => {
    let state = beginDecision(open, A1.id, 'allow', NOW).state;
    state = decisionFailed(state, A1.id, { kind: 'final', text: 'Expired', status: 'expired' }, NOW);
    expect(cardModel(state.entries.get(A1.id)!, NOW)).toMatchObject({ status: 'expired', message: 'Expired', buttonsEnabled: false });
    expect(ids(prune(state, NOW + REFUSED_LINGER_MS))).toEqual([]);
  });

  it('a network failure reopens the card with the reason, and nothing is queued', () => {
    let state = beginDecision(open, A1.id, 'allow', NOW).state;
    state = decisionFailed(state, A1.id, { kind: 'retry', text: 'Not sent: offline' }, NOW);
    expect(cardModel(state.entries.get(A1.id)!, NOW)).toMatchObject({ status: 'pending', message: 'Not sent: offline', buttonsEnabled: true });
    expect(beginDecision(state, A1.id, 'deny', NOW).send?.decision).toBe('deny');
  });
});

describe('room changes and time', () => {
  const open = mergePending(emptyApprovalState(), [A1, A2], NOW);

  it('an approval decided elsewhere says so, then leaves', () => {
    const state = approvalChanged(open, A1.id, 'allowed', NOW);
    expect(cardModel(state.entries.get(A1.id)!, NOW)).toMatchObject({ status: 'allowed', message: 'Allowed' });
    expect(pendingCount(state, NOW)).toBe(1);
  });

  it('a card in flight ignores the room and waits for its own answer', () => {
    const sending = beginDecision(open, A1.id, 'deny', NOW).state;
    expect(approvalChanged(sending, A1.id, 'denied', NOW)).toBe(sending);
  });

  it('an unknown approval that settled is never shown by a later stale list', () => {
    const state = approvalChanged(emptyApprovalState(), A1.id, 'expired', NOW);
    expect(ids(mergePending(state, [A1], NOW))).toEqual([]);
  });

  it('at the deadline the buttons go dead and the card says Expired, then leaves', () => {
    expect(cardModel(open.entries.get(A2.id)!, A2.deadlineAt - 45_000)).toMatchObject({
      status: 'pending',
      buttonsEnabled: true,
      countdown: { text: '45 s left', urgency: 'urgent' },
    });
    expect(cardModel(open.entries.get(A2.id)!, A2.deadlineAt)).toMatchObject({
      status: 'expired',
      message: 'Expired',
      buttonsEnabled: false,
    });
    expect(pendingCount(open, A2.deadlineAt)).toBe(1);
    expect(ids(prune(open, A2.deadlineAt + EXPIRED_LINGER_MS))).toEqual([A1.id]);
  });

  it('a sending card shows which decision is in flight', () => {
    const sending = beginDecision(open, A1.id, 'deny', NOW).state;
    expect(cardModel(sending.entries.get(A1.id)!, NOW)).toMatchObject({ status: 'sending', message: 'Denying…', buttonsEnabled: false });
  });

  it('prune returns the same state when nothing left', () => {
    expect(prune(open, NOW)).toBe(open);
  });
});

describe('pageTitle', () => {
  it.each([
    [0, 'Hearth'],
    [1, '(1) Hearth'],
    [12, '(12) Hearth'],
  ])('%d pending → %s', (n, title) => expect(pageTitle(n)).toBe(title));
});
