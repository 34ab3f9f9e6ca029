// What the phone says after an Allow/Deny tapped on a notification: a short confirmation, what the approval already
// was, or "open the app" when this tap could not be applied here. Pure: the answer in, the outcome out; no retries.
import type { ApprovalStatus } from '../../protocol/index.ts';
import type { StatusIcon } from './push-notification.ts';

/** How POST /api/approvals/:id/decision went, as far as the notification needs to know. */
export type DecisionAnswer =
  /** 2xx with the approval as it is now. */
  | { kind: 'decided'; status: ApprovalStatus }
  /** 409: not applied. `status` is what a fresh GET of the approval says (null when that read failed too). */
  | { kind: 'conflict'; status: ApprovalStatus | null }
  /** 404: unknown to this owner (deleted, or another owner's). */
  | { kind: 'not-found' }
  /** 401/403 (signed out, cross-origin refusal), any other status, or no answer at all. */
  | { kind: 'failed' };

/** Show a replacement notification (same tag), or open the app at the task so the owner decides there. */
export type DecisionOutcome = { kind: 'notify'; title: string; body: string; icon: StatusIcon } | { kind: 'open-app' };

const ALREADY: Record<ApprovalStatus, { title: string; icon: StatusIcon }> = {
  allowed: { title: 'Already allowed', icon: 'running' },
  denied: { title: 'Already denied', icon: 'failed' },
  expired: { title: 'Expired: the tool did not run', icon: 'failed' },
  pending: { title: 'Not applied', icon: 'waiting' },
};

/**
 * The outcome of one tap. `summary` is the approval's one line (the push's text). A 409 names what the approval
 * already was; a 409 for a still-pending approval (the tool input changed) and every failure open the app instead
 * of trying again: a decision is sent once per tap, never retried blindly.
 */
export function decisionOutcome(answer: DecisionAnswer, summary: string): DecisionOutcome {
  switch (answer.kind) {
    case 'decided':
      if (answer.status === 'allowed') return { kind: 'notify', title: 'Allowed', body: summary, icon: 'running' };
      if (answer.status === 'denied') return { kind: 'notify', title: 'Denied', body: summary, icon: 'failed' };
      return { kind: 'open-app' };
    case 'conflict': {
      if (answer.status === null || answer.status === 'pending') return { kind: 'open-app' };
      const { title, icon } = ALREADY[answer.status];
      return { kind: 'notify', title, body: summary, icon };
    }
    case 'not-found':
      return { kind: 'notify', title: 'This approval no longer exists', body: summary, icon: 'failed' };
    case 'failed':
      return { kind: 'open-app' };
  }
}
