// Allow/Deny tapped on an approval notification: one POST /api/approvals/:id/decision with the session cookie, bound
// to the inputHash the push carried, then a confirmation in place of the notification. Sends once; never retries.
import { ApprovalView, type ApprovalStatus, type DecisionRequest } from '../../protocol/index.ts';
import { decisionOutcome, type DecisionAnswer, type DecisionOutcome } from './decision-outcome.ts';
import { BADGE_URL, pathFor, statusIconUrl, type ApprovalMessage, type NotificationPlan } from './push-notification.ts';

export type { ApprovalMessage } from './push-notification.ts';

export type DecisionDeps = {
  /** The service worker's fetch (same origin: the `hearth_session` cookie goes along, as from the page). */
  fetch(path: string, init: RequestInit): Promise<Response>;
  /** Show a notification (the confirmation replaces the approval's: same tag). */
  notify(plan: NotificationPlan): Promise<void>;
  /** Bring the app up at `path` (a tap the worker cannot finish is finished there). */
  openApp(path: string): Promise<void>;
  now(): number;
};

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };
/** How long the POST (and the read after a 409) may take, ms: a hang counts as failed, so the app opens instead. */
export const DECISION_TIMEOUT_MS = 8_000;

/** The approval's status from a 2xx body, or null when the body is not an ApprovalView. */
async function statusOf(response: Response): Promise<ApprovalStatus | null> {
  const parsed = ApprovalView.safeParse(await response.json().catch(() => null));
  return parsed.success ? parsed.data.status : null;
}

/** GET /api/approvals/:id after a 409: what the approval already is (null when that cannot be read). */
async function currentStatus(deps: DecisionDeps, path: string): Promise<ApprovalStatus | null> {
  try {
    const response = await deps.fetch(path, {
      method: 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: JSON_HEADERS.Accept },
      signal: AbortSignal.timeout(DECISION_TIMEOUT_MS),
    });
    return response.ok ? await statusOf(response) : null;
  } catch {
    return null;
  }
}

/** POST the decision once and classify the answer (DecisionRequest in protocol/approval.ts; 409 when not applied). */
export async function sendDecision(deps: DecisionDeps, message: ApprovalMessage, decision: DecisionRequest['decision']): Promise<DecisionAnswer> {
  const path = `/api/approvals/${encodeURIComponent(message.approvalId)}`;
  const body: DecisionRequest = { decision, inputHash: message.inputHash };
  let response: Response;
  try {
    response = await deps.fetch(`${path}/decision`, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(DECISION_TIMEOUT_MS),
    });
  } catch {
    return { kind: 'failed' };
  }
  if (response.ok) {
    // A 2xx means this decision was applied; the body says so too, and is trusted only once parsed.
    return { kind: 'decided', status: (await statusOf(response)) ?? (decision === 'allow' ? 'allowed' : 'denied') };
  }
  await response.body?.cancel();
  if (response.status === 409) return { kind: 'conflict', status: await currentStatus(deps, path) };
  if (response.status === 404) return { kind: 'not-found' };
  return { kind: 'failed' };
}

/**
 * Answer `message` with `decision` and tell the owner how it went: "Allowed"/"Denied", what it already was, or the
 * app opened at the task (signed out, offline, refused, or the request changed). Resolves with the outcome.
 */
export async function answerFromNotification(deps: DecisionDeps, message: ApprovalMessage, decision: DecisionRequest['decision']): Promise<DecisionOutcome> {
  const outcome = decisionOutcome(await sendDecision(deps, message, decision), message.text);
  if (outcome.kind === 'open-app') {
    await deps.openApp(pathFor(message));
  } else {
    await deps.notify({
      title: outcome.title,
      options: { body: outcome.body, tag: message.tag, icon: statusIconUrl(outcome.icon), badge: BADGE_URL, data: message, timestamp: deps.now() },
    });
  }
  return outcome;
}
