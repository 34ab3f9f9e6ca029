// `pushsubscriptionchange`: the push service replaced or expired this phone's subscription. Subscribe again with the
// Worker's VAPID key and PUT the new one, keeping the events the owner chose. Does nothing when push was turned off.
import { PushState, PutPushSubscriptionRequest } from '../../protocol/index.ts';

export type ResubscribeDeps = {
  fetch(path: string, init: RequestInit): Promise<Response>;
  pushManager: PushManager;
};

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };

/**
 * Read GET /api/push; when this session still has a subscription there (push is on), subscribe again — or take
 * `newSubscription` when the browser already made one — with the same applicationServerKey (the Worker's VAPID
 * public key, falling back to the old subscription's), and PUT it with the same events. Resolves with whether a
 * subscription was stored. Throws nothing: a failure leaves push off, which the settings page shows.
 */
export async function resubscribe(
  deps: ResubscribeDeps,
  event: { oldSubscription: PushSubscription | null; newSubscription: PushSubscription | null },
): Promise<boolean> {
  try {
    const stateResponse = await deps.fetch('/api/push', { method: 'GET', credentials: 'same-origin', cache: 'no-store', headers: { Accept: JSON_HEADERS.Accept } });
    if (!stateResponse.ok) return false;
    const state = PushState.safeParse(await stateResponse.json().catch(() => null));
    if (!state.success || state.data.subscription === null) return false;
    const key = state.data.vapidPublicKey ?? event.oldSubscription?.options.applicationServerKey ?? null;
    if (key === null) return false;
    const subscription = event.newSubscription ?? (await deps.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
    const request = PutPushSubscriptionRequest.safeParse({ ...subscription.toJSON(), events: state.data.subscription.events });
    if (!request.success) return false;
    const put = await deps.fetch('/api/push/subscription', {
      method: 'PUT',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: JSON_HEADERS,
      body: JSON.stringify(request.data),
    });
    await put.body?.cancel();
    return put.ok;
  } catch {
    return false;
  }
}
