// `pushsubscriptionchange`: the push service replaced or expired this phone's subscription. Subscribe again with the
// Worker's VAPID key and PUT the new one, keeping the events the owner chose. Does nothing when push is off.
import { PushState, PutPushSubscriptionRequest } from '../../protocol/index.ts';

export type ResubscribeDeps = {
  fetch(path: string, init: RequestInit): Promise<Response>;
  pushManager: PushManager;
};

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' };

/**
 * Read GET /api/push (a 401 — signed out — stops here); when the Worker has a VAPID key and this phone had a
 * subscription (the event's `oldSubscription`, or this session's row), subscribe again — or take `newSubscription`
 * when the browser already made one — and PUT it, with the row's events when the row is still there (the Worker
 * deletes it on a 404/410 from the push service, often the very change this event reports), else the default (all).
 * Resolves with whether a subscription was stored. Throws nothing: a failure leaves push off, which Settings shows.
 */
export async function resubscribe(
  deps: ResubscribeDeps,
  event: { oldSubscription: PushSubscription | null; newSubscription: PushSubscription | null },
): Promise<boolean> {
  try {
    const stateResponse = await deps.fetch('/api/push', { method: 'GET', credentials: 'same-origin', cache: 'no-store', headers: { Accept: JSON_HEADERS.Accept } });
    if (!stateResponse.ok) return false;
    const state = PushState.safeParse(await stateResponse.json().catch(() => null));
    if (!state.success) return false;
    const { vapidPublicKey: key, subscription: row } = state.data;
    if (key === null || (row === null && event.oldSubscription === null)) return false;
    const subscription = event.newSubscription ?? (await deps.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
    const request = PutPushSubscriptionRequest.safeParse({ ...subscription.toJSON(), ...(row === null ? {} : { events: row.events }) });
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
