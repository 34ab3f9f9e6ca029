// The phone's view of its owner's approvals: which cards show, in which phase, and when they leave. Pure: every
// function takes the state and the time and returns a new state; fetching and drawing live elsewhere.
import type { ApprovalStatus, ApprovalView } from '../protocol/index.ts';
import { settledText, type Outcome, type SettledStatus } from './approval-outcome.ts';

export type Decision = 'allow' | 'deny';

/**
 * `open`: waiting for the owner (with the last failed attempt's note, if any); `sending`: a decision is in flight;
 * `settled`: the outcome is shown until `leaveAt` (epoch ms), then the card leaves.
 */
export type Phase =
  | { readonly kind: 'open'; readonly note: string }
  | { readonly kind: 'sending'; readonly decision: Decision }
  | { readonly kind: 'settled'; readonly text: string; readonly status: SettledStatus; readonly leaveAt: number };

export type Entry = { readonly approval: ApprovalView; readonly phase: Phase };

/** `finished` remembers settled ids so a list fetched before the settlement can never bring a card back. */
export type ApprovalState = { readonly entries: ReadonlyMap<string, Entry>; readonly finished: ReadonlySet<string> };

/** How long a card shows "Allowed"/"Denied" before leaving, in ms. */
export const DECIDED_LINGER_MS = 2_500;
/** How long a card shows a refusal ("Expired", "Already decided…") before leaving, in ms. */
export const REFUSED_LINGER_MS = 5_000;
/** How long a card stays, saying "Expired", after its deadline passed, in ms. */
export const EXPIRED_LINGER_MS = 10_000;

export const emptyApprovalState = (): ApprovalState => ({ entries: new Map(), finished: new Set() });

const OPEN: Phase = { kind: 'open', note: '' };

/** Whether the owner can still decide `approval` at `nowMs`: pending and before its deadline. */
export const isLive = (approval: ApprovalView, nowMs: number): boolean =>
  approval.status === 'pending' && nowMs < approval.deadlineAt;

function settle(state: ApprovalState, entry: Entry, text: string, status: SettledStatus, leaveAt: number): ApprovalState {
  const entries = new Map(state.entries);
  entries.set(entry.approval.id, { approval: entry.approval, phase: { kind: 'settled', text, status, leaveAt } });
  return { entries, finished: new Set(state.finished).add(entry.approval.id) };
}

/**
 * Fold in GET /api/approvals?status=pending. New pending approvals get a card (unless finished, or so long
 * expired that they would only flash); a card in flight or settled keeps its phase; an open card the list no
 * longer has was decided elsewhere and leaves, except a locally expired one, which stays to say "Expired".
 */
export function mergePending(state: ApprovalState, list: readonly ApprovalView[], nowMs: number): ApprovalState {
  const entries = new Map<string, Entry>();
  const listed = new Set<string>();
  for (const approval of list) {
    if (approval.status !== 'pending' || state.finished.has(approval.id)) continue;
    listed.add(approval.id);
    const existing = state.entries.get(approval.id);
    if (existing && existing.phase.kind !== 'open') entries.set(approval.id, existing);
    else if (existing || nowMs < approval.deadlineAt + EXPIRED_LINGER_MS) {
      entries.set(approval.id, { approval, phase: existing?.phase ?? OPEN });
    }
  }
  for (const [id, entry] of state.entries) {
    if (listed.has(id)) continue;
    if (entry.phase.kind !== 'open' || nowMs >= entry.approval.deadlineAt) entries.set(id, entry);
  }
  return { entries, finished: state.finished };
}

/**
 * Start a decision on `id`. Returns the new state and the request to send, or `send: null` when the card cannot
 * be decided now (unknown, already in flight or settled, or past its deadline: never a live tap on an expired one).
 */
export function beginDecision(
  state: ApprovalState,
  id: string,
  decision: Decision,
  nowMs: number,
): { state: ApprovalState; send: { id: string; decision: Decision; inputHash: string } | null } {
  const entry = state.entries.get(id);
  if (!entry || entry.phase.kind !== 'open' || !isLive(entry.approval, nowMs)) return { state, send: null };
  const entries = new Map(state.entries).set(id, { approval: entry.approval, phase: { kind: 'sending', decision } });
  return { state: { entries, finished: state.finished }, send: { id, decision, inputHash: entry.approval.inputHash } };
}

/** The Worker answered 200 with `view`: show its status ("Allowed"/"Denied") briefly. */
export function decisionApplied(state: ApprovalState, view: ApprovalView, nowMs: number): ApprovalState {
  const entry = state.entries.get(view.id);
  if (!entry) return state;
  const status: SettledStatus = view.status === 'pending' ? 'conflict' : view.status;
  return settle(state, { approval: view, phase: entry.phase }, settledText(view.status), status, nowMs + DECIDED_LINGER_MS);
}

/** The decision failed: a final outcome settles the card; a retryable one reopens it with the reason. */
export function decisionFailed(state: ApprovalState, id: string, outcome: Outcome, nowMs: number): ApprovalState {
  const entry = state.entries.get(id);
  if (!entry || entry.phase.kind !== 'sending') return state;
  if (outcome.kind === 'final') return settle(state, entry, outcome.text, outcome.status, nowMs + REFUSED_LINGER_MS);
  const entries = new Map(state.entries).set(id, { approval: entry.approval, phase: { kind: 'open', note: outcome.text } });
  return { entries, finished: state.finished };
}

/**
 * The room says approval `id` is now `status`. A settled status closes an open card with that word; a card in
 * flight waits for its own HTTP answer. An unknown id is remembered as finished so a stale list cannot show it.
 */
export function approvalChanged(state: ApprovalState, id: string, status: ApprovalStatus, nowMs: number): ApprovalState {
  if (status === 'pending') return state;
  const entry = state.entries.get(id);
  if (!entry) return state.finished.has(id) ? state : { entries: state.entries, finished: new Set(state.finished).add(id) };
  if (entry.phase.kind !== 'open') return state;
  return settle(state, entry, settledText(status), status, nowMs + DECIDED_LINGER_MS);
}

/** Drop cards whose time is up: settled ones past `leaveAt`, open ones past deadline + EXPIRED_LINGER_MS. */
export function prune(state: ApprovalState, nowMs: number): ApprovalState {
  const gone = [...state.entries.values()].filter(({ approval, phase }) =>
    phase.kind === 'settled' ? nowMs >= phase.leaveAt : nowMs >= approval.deadlineAt + EXPIRED_LINGER_MS,
  );
  if (gone.length === 0) return state;
  const entries = new Map(state.entries);
  const finished = new Set(state.finished);
  for (const { approval } of gone) {
    entries.delete(approval.id);
    finished.add(approval.id);
  }
  return { entries, finished };
}

/** The cards to show (all, or one task's), soonest deadline first, then oldest first. */
export function visibleEntries(state: ApprovalState, taskId?: string): Entry[] {
  return [...state.entries.values()]
    .filter((entry) => taskId === undefined || entry.approval.taskId === taskId)
    .sort(
      (a, b) =>
        a.approval.deadlineAt - b.approval.deadlineAt ||
        a.approval.createdAt - b.approval.createdAt ||
        (a.approval.id < b.approval.id ? -1 : 1),
    );
}

/** How many approvals still wait for the owner at `nowMs` (for the page title). */
export function pendingCount(state: ApprovalState, nowMs: number): number {
  let count = 0;
  for (const { approval, phase } of state.entries.values()) {
    if (phase.kind !== 'settled' && isLive(approval, nowMs)) count += 1;
  }
  return count;
}

/** The document title: "(2) Hearth" while approvals wait, else "Hearth". */
export const pageTitle = (pending: number): string => (pending > 0 ? `(${pending}) Hearth` : 'Hearth');
