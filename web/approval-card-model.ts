// What one approval card shows at a given moment: its status word, countdown, message and whether the buttons work.
// Pure: the entry and the time in, plain data out; approval-card.ts draws it.
import { countdown, type Countdown } from './approval-countdown.ts';
import type { SettledStatus } from './approval-outcome.ts';
import { isLive, type Entry } from './approval-state.ts';

/** The card's `data-status`: `pending` (decidable), `sending`, or how it settled. */
export type CardStatus = 'pending' | 'sending' | SettledStatus;

export type CardModel = {
  status: CardStatus;
  /** Null once settled: a settled card shows its outcome, not a clock. */
  countdown: Countdown | null;
  /** The outcome, the in-flight decision, or the last failed attempt's reason; '' when there is nothing to say. */
  message: string;
  buttonsEnabled: boolean;
};

/** The card for `entry` at `nowMs` (epoch ms). Buttons work only on an open, pending approval before its deadline. */
export function cardModel(entry: Entry, nowMs: number): CardModel {
  const { approval, phase } = entry;
  if (phase.kind === 'settled') {
    return { status: phase.status, countdown: null, message: phase.text, buttonsEnabled: false };
  }
  if (!isLive(approval, nowMs)) {
    return { status: 'expired', countdown: null, message: 'Expired', buttonsEnabled: false };
  }
  const clock = countdown(approval.deadlineAt, nowMs);
  if (phase.kind === 'sending') {
    const message = phase.decision === 'allow' ? 'Allowing…' : 'Denying…';
    return { status: 'sending', countdown: clock, message, buttonsEnabled: false };
  }
  return { status: 'pending', countdown: clock, message: phase.note, buttonsEnabled: true };
}
