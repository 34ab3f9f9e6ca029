// Delivering pushes (RFC 8030) to an owner's subscriptions: encrypt and sign with web-push's generateRequestDetails
// (aes128gcm, VAPID), POST with the injected fetch, and keep each row's health. Never throws: pushes are best effort.
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import webpush from 'web-push/src/index.js';
import type { Db } from '../app-env.ts';
import { sessionLive } from '../auth/phone-session.ts';
import { pushSubscriptions, sessions } from '../db/schema.ts';
import type { VapidKeys } from '../env.ts';
import { refusePushEndpoint } from './push-endpoint.ts';
import { encodePushMessage, type PushItem } from './push-message.ts';
import { parseEvents, serviceOf } from './push-subscription-view.ts';

export type PushSendDeps = {
  db: Db;
  vapid: VapidKeys;
  /** The app's injected fetch (tests may intercept it). */
  fetch: typeof fetch;
  /** Epoch ms. */
  now: () => number;
  /** Dev/test flag: local endpoints stay usable (checked again at send time, as at subscribe time). */
  allowLocalEndpoints: boolean;
  /** One line per failure; never an endpoint or a key (an endpoint is a capability URL). */
  log: (line: string) => void;
};

/**
 * A subscription is deleted after this many failed sends in a row (5xx, timeouts, refused redirects, not 429) —
 * and only when its last success (else its creation) is older than FAILING_FOR_MS, so a burst of parallel sends
 * during a short push-service outage never costs a phone its subscription.
 */
export const MAX_CONSECUTIVE_FAILURES = 5;
/** How long a subscription must have gone without a successful send before failures may delete it, ms. */
export const FAILING_FOR_MS = 24 * 60 * 60_000;
/** How long one push service may take to answer, ms. */
const SEND_TIMEOUT_MS = 10_000;

type Target = { id: string; endpoint: string; p256dh: string; auth: string };
type Outcome = 'sent' | 'gone' | 'busy' | 'failed';

/**
 * RFC 8030 §5: 201 Created (any 2xx) delivered; 404/410 the subscription is gone for good; 429 the push service
 * is throttling us (RFC 8030 §8.4), which says nothing about the subscription; anything else failed.
 */
export const outcomeOf = (status: number): Outcome =>
  status === 404 || status === 410 ? 'gone' : status === 429 ? 'busy' : status >= 200 && status < 300 ? 'sent' : 'failed';

/** POST one encrypted message; redirects are not followed (the endpoint named is the only host reached). */
async function post(deps: PushSendDeps, target: Target, json: string, item: PushItem): Promise<Outcome> {
  const details = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, json, {
    vapidDetails: deps.vapid,
    TTL: item.ttlSeconds,
    urgency: item.urgency,
    contentEncoding: 'aes128gcm',
  });
  const headers = Object.fromEntries(
    Object.entries(details.headers).filter(([name]) => name.toLowerCase() !== 'content-length').map(([name, value]) => [name, String(value)]),
  );
  const res = await deps.fetch(details.endpoint, {
    method: 'POST',
    headers,
    body: details.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  await res.body?.cancel();
  const outcome = outcomeOf(res.status);
  if (outcome !== 'sent') deps.log(`push to ${serviceOf(target.endpoint)} answered ${res.status}`);
  return outcome;
}

/**
 * Keep the row's health: sent → lastSentAt, failures 0; gone → deleted; busy → unchanged; failed → failures+1,
 * deleted at the cap once nothing was delivered for FAILING_FOR_MS (lastSentAt, else createdAt).
 */
async function record(db: Db, target: Target, outcome: Outcome, now: number): Promise<void> {
  const same = and(eq(pushSubscriptions.id, target.id), eq(pushSubscriptions.endpoint, target.endpoint));
  if (outcome === 'sent') await db.update(pushSubscriptions).set({ lastSentAt: now, failures: 0 }).where(same);
  else if (outcome === 'gone') await db.delete(pushSubscriptions).where(same);
  else if (outcome === 'failed') {
    const lastSuccess = sql`coalesce(${pushSubscriptions.lastSentAt}, ${pushSubscriptions.createdAt})`;
    await db.batch([
      db.update(pushSubscriptions).set({ failures: sql`${pushSubscriptions.failures} + 1` }).where(same),
      db.delete(pushSubscriptions).where(and(same, gte(pushSubscriptions.failures, MAX_CONSECUTIVE_FAILURES), lt(lastSuccess, now - FAILING_FOR_MS))),
    ]);
  }
}

async function deliver(deps: PushSendDeps, target: Target, json: string, item: PushItem): Promise<void> {
  const refused = refusePushEndpoint(target.endpoint, deps.allowLocalEndpoints);
  if (refused) return deps.log(`push to ${serviceOf(target.endpoint)} skipped: ${refused}`);
  let outcome: Outcome;
  try {
    outcome = await post(deps, target, json, item);
  } catch (err) {
    deps.log(`push to ${serviceOf(target.endpoint)} failed: ${err instanceof Error ? err.name : typeof err}`);
    outcome = 'failed';
  }
  await record(deps.db, target, outcome, deps.now());
}

/** An error's name and message for the log, any SQL parameters cut off (they could hold keys). */
const describe = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message.split(/\bparams:/)[0]?.slice(0, 200) ?? ''}` : typeof err;

type Subscription = Target & { events: string };

/** The owner's subscriptions whose session is live (at deps.now()). */
const subscriptionsOf = (deps: PushSendDeps, ownerId: string): Promise<Subscription[]> =>
  deps.db
    .select({ id: pushSubscriptions.id, endpoint: pushSubscriptions.endpoint, p256dh: pushSubscriptions.p256dh, auth: pushSubscriptions.auth, events: pushSubscriptions.events })
    .from(pushSubscriptions)
    .innerJoin(sessions, eq(sessions.id, pushSubscriptions.sessionId))
    .where(and(eq(pushSubscriptions.ownerId, ownerId), eq(sessions.ownerId, ownerId), sessionLive(deps.now())));

/** Send one item to each of its owner's `subscriptions` whose events include the item's. */
async function sendItem(deps: PushSendDeps, item: PushItem, subscriptions: readonly Subscription[]): Promise<void> {
  const json = encodePushMessage(item.message);
  if (json === null) return deps.log(`push ${item.event} not sent: the message fails the PushMessage schema or size`);
  const targets = subscriptions.filter((row) => parseEvents(row.events).includes(item.event));
  await Promise.all(targets.map((target) => deliver(deps, target, json, item)));
}

/** One owner's items: their subscriptions are read once for all of them. */
async function sendOwnerItems(deps: PushSendDeps, ownerId: string, items: readonly PushItem[]): Promise<void> {
  const subscriptions = await subscriptionsOf(deps, ownerId);
  await Promise.all(items.map((item) => sendItem(deps, item, subscriptions).catch((err: unknown) => deps.log(`push ${item.event} failed: ${describe(err)}`))));
}

/** Send every item (in parallel, each owner's subscriptions read once); resolves when all are done and never rejects. */
export async function sendPushes(deps: PushSendDeps, items: readonly PushItem[]): Promise<void> {
  const byOwner = new Map<string, PushItem[]>();
  for (const item of items) {
    const owned = byOwner.get(item.ownerId);
    if (owned) owned.push(item);
    else byOwner.set(item.ownerId, [item]);
  }
  await Promise.all(
    [...byOwner].map(([ownerId, owned]) =>
      sendOwnerItems(deps, ownerId, owned).catch((err: unknown) => deps.log(`push ${owned.map((i) => i.event).join(', ')} failed: ${describe(err)}`)),
    ),
  );
}
