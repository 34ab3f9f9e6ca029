// Push messages → notifications, notification taps → the app or the API, and a replaced subscription → stored
// again. Wiring only: what a notification says, what a tap decides and how a subscription is renewed live beside it.
import { PushMessage } from '../../protocol/index.ts';
import { answerFromNotification, type ApprovalMessage, type DecisionDeps } from './notification-decision.ts';
import { openApp } from './open-app.ts';
import { genericNotification, notificationFor, pathFor, tapDecision, type NotificationPlan } from './push-notification.ts';
import { resubscribe } from './push-resubscribe.ts';

/** The payload of a push, parsed; null when it is missing, not JSON or not a PushMessage. */
function messageOf(data: PushMessageData | null): PushMessage | null {
  if (data === null) return null;
  let json: unknown;
  try {
    json = data.json();
  } catch {
    return null;
  }
  const parsed = PushMessage.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Register the push, notificationclick and pushsubscriptionchange handlers on `sw`. */
export function installPushEvents(sw: ServiceWorkerGlobalScope): void {
  const show = (plan: NotificationPlan): Promise<void> => sw.registration.showNotification(plan.title, plan.options);
  const decisionDeps: DecisionDeps = {
    fetch: (path, init) => sw.fetch(path, init),
    notify: show,
    openApp: (path) => openApp(sw, path),
    now: () => Date.now(),
  };
  /** Approvals with a decision on its way: a second tap meanwhile sends nothing (the first one's answer will show). */
  const deciding = new Set<string>();

  const decide = async (message: ApprovalMessage, decision: 'allow' | 'deny'): Promise<void> => {
    if (deciding.has(message.approvalId)) return;
    deciding.add(message.approvalId);
    try {
      await answerFromNotification(decisionDeps, message, decision);
    } finally {
      deciding.delete(message.approvalId);
    }
  };

  // Every push shows a notification, also one we cannot read, even while the app is open on this task: the phone
  // may be locked, and a push without a notification costs the subscription (userVisibleOnly).
  sw.addEventListener('push', (event) => {
    const message = messageOf(event.data);
    const now = Date.now();
    event.waitUntil(show(message === null ? genericNotification(now) : notificationFor(message, now)));
  });

  sw.addEventListener('notificationclick', (event) => {
    const parsed = PushMessage.safeParse(event.notification.data);
    const message = parsed.success ? parsed.data : null;
    event.notification.close();
    const decision = tapDecision(message, event.action);
    const work = message?.type === 'approval' && decision !== null ? decide(message, decision) : openApp(sw, pathFor(message));
    event.waitUntil(work);
  });

  sw.addEventListener('pushsubscriptionchange', (event) => {
    event.waitUntil(
      resubscribe(
        { fetch: (path, init) => sw.fetch(path, init), pushManager: sw.registration.pushManager },
        { oldSubscription: event.oldSubscription, newSubscription: event.newSubscription },
      ),
    );
  });
}
