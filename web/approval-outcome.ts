// What a card says after a decision attempt: the outcome of a 200, the server's reason for a 409, or a retryable
// failure. Pure: errors in, text out. Nothing here queues or retries a decision.
import type { ApprovalStatus } from '../protocol/index.ts';
import { ApiError, describeError } from './api-error.ts';

/** What a settled card knows about its approval: a decision, an expiry, or only that this tap did not apply. */
export type SettledStatus = 'allowed' | 'denied' | 'expired' | 'conflict';

/** `final`: the approval is settled (the card leaves after a moment); `retry`: nothing changed, buttons come back. */
export type Outcome = { kind: 'final'; text: string; status: SettledStatus } | { kind: 'retry'; text: string };

const SETTLED_TEXT: Record<ApprovalStatus, string> = {
  pending: 'Waiting',
  allowed: 'Allowed',
  denied: 'Denied',
  expired: 'Expired',
};

/** The one word a settled approval shows: "Allowed", "Denied", "Expired". */
export function settledText(status: ApprovalStatus): string {
  return SETTLED_TEXT[status];
}

/**
 * The card text for a 409 from POST /api/approvals/:id/decision, from the problem's `detail`
 * ("already allowed", "already denied", "expired: the deadline passed", "the tool input changed: …").
 * An unknown detail still reads as decided: a 409 means this tap did not apply.
 */
export function conflictReason(detail: string | undefined): { text: string; status: SettledStatus } {
  const text = detail?.toLowerCase() ?? '';
  const expired = /^expired(?::\s*(.+))?$/.exec(text.trim());
  if (expired) return { text: expired[1] ? `Expired: ${expired[1]}` : 'Expired', status: 'expired' };
  if (/expired|deadline/.test(text)) return { text: 'Expired', status: 'expired' };
  const already = /already (allowed|denied)/.exec(text);
  if (already?.[1] === 'allowed' || already?.[1] === 'denied') {
    return { text: `Already decided: ${already[1]}`, status: already[1] };
  }
  if (/changed/.test(text)) return { text: 'The request changed: not applied', status: 'conflict' };
  return { text: 'Already decided', status: 'conflict' };
}

/** Map a failed decision to what the card shows. Only a network failure or a server error lets the owner tap again. */
export function failureOutcome(error: unknown): Outcome {
  if (error instanceof ApiError) {
    if (error.code === 'conflict') return { kind: 'final', ...conflictReason(error.detail) };
    if (error.code === 'not-found') return { kind: 'final', text: 'No longer exists', status: 'conflict' };
    if (error.code === 'network') return { kind: 'retry', text: 'Not sent: cannot reach the server. Tap again to retry.' };
  }
  const { title, detail } = describeError(error);
  return { kind: 'retry', text: `Not sent: ${detail ? `${title}: ${detail}` : title}` };
}
