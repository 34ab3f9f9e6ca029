// Mapping a push_subscriptions row to the phone's PushSubscriptionView (never its keys, never the full endpoint)
// and reading its stored `events` JSON. Pure.
import { z } from 'zod';
import { PushEvent, type PushSubscriptionView } from '../../protocol/index.ts';
import type { pushSubscriptions } from '../db/schema.ts';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

const StoredEvents = z.array(PushEvent);

/** The stored events (PushEvent[] as JSON text); unreadable text counts as none (nothing is pushed to it). */
export function parseEvents(text: string): PushEvent[] {
  try {
    const parsed = StoredEvents.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** `events` without repeats, in PushEvent's order, as stored. */
export const storedEvents = (events: readonly PushEvent[]): string =>
  JSON.stringify(PushEvent.options.filter((e) => events.includes(e)));

/** The push service's host only (e.g. `fcm.googleapis.com`): enough to recognise, nothing to replay. */
export const serviceOf = (endpoint: string): string => (URL.canParse(endpoint) ? new URL(endpoint).host : '');

/** A row as the session `sessionId` sees it (`current` when it is that session's own). */
export const toPushSubscriptionView = (row: PushSubscriptionRow, sessionId: string): PushSubscriptionView => ({
  id: row.id,
  service: serviceOf(row.endpoint),
  events: parseEvents(row.events),
  createdAt: row.createdAt,
  lastSentAt: row.lastSentAt,
  current: row.sessionId === sessionId,
});
