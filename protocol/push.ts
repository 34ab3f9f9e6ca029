// Web Push (RFC 8030, RFC 8291 aes128gcm, RFC 8292 VAPID): the phone's subscription, the owner's event choices,
// and the JSON payload the Worker encrypts for the service worker. Envelope (ids, status) apart from content (text).
import { z } from 'zod';
import { TaskId, DeviceId } from './ids.ts';
import { TaskStatus } from './task.ts';
import { ApprovalId, InputHash } from './approval.ts';

/** A base64url string without padding (RFC 4648 §5), as PushSubscription.toJSON() gives `p256dh` and `auth`. */
const Base64Url = (what: string, bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url without padding`)
    .refine((s) => Math.floor((s.length * 3) / 4) === bytes, `${what} must encode ${bytes} bytes`);

/**
 * The push service URL a subscription delivers to. https only; the Worker also accepts `http://127.0.0.1` /
 * `http://localhost` endpoints when PUSH_ALLOW_LOCAL_ENDPOINTS is set (local stand-in in dev and tests).
 */
export const PushEndpoint = z.url({ protocol: /^https?$/ }).max(2048);

/** What a browser's `PushSubscription.toJSON()` gives (RFC 8291 §3: P-256 public key, 16-byte auth secret). */
export const PushSubscriptionKeys = z.object({
  p256dh: Base64Url('p256dh', 65),
  auth: Base64Url('auth', 16),
});

/** The events a phone can be pushed about. The owner chooses which (PUT /api/push/subscription `events`). */
export const PushEvent = z.enum([
  'task-succeeded',
  'task-failed',
  'task-lost',
  'task-timed-out',
  'approval-requested',
  'agent-offline',
]);
export type PushEvent = z.infer<typeof PushEvent>;

/** Every event: what a new subscription gets when the phone names none. */
export const ALL_PUSH_EVENTS: readonly PushEvent[] = PushEvent.options;

/**
 * PUT /api/push/subscription (phone session): store this phone's subscription (one per session; a new endpoint
 * replaces the session's old one; the same endpoint again is an update). 200 PushSubscriptionView.
 */
export const PutPushSubscriptionRequest = z.strictObject({
  endpoint: PushEndpoint,
  /** The push service's own expiry (epoch ms) or null, as the browser reports it. */
  expirationTime: z.number().int().nullable().optional(),
  keys: PushSubscriptionKeys,
  events: z.array(PushEvent).max(PushEvent.options.length).optional(),
});
export type PutPushSubscriptionRequest = z.infer<typeof PutPushSubscriptionRequest>;

/** PATCH /api/push/subscription (phone session): change which events this phone is pushed about. */
export const PatchPushSubscriptionRequest = z.strictObject({
  events: z.array(PushEvent).max(PushEvent.options.length),
});
export type PatchPushSubscriptionRequest = z.infer<typeof PatchPushSubscriptionRequest>;

/** A stored subscription as the phone sees it (never its keys). Times are epoch ms. */
export const PushSubscriptionView = z.object({
  id: z.uuid(),
  /** The push service's host only (e.g. `fcm.googleapis.com`): enough to recognise, nothing to replay. */
  service: z.string(),
  events: z.array(PushEvent),
  createdAt: z.number().int(),
  lastSentAt: z.number().int().nullable(),
  /** Whether this subscription belongs to the session asking. */
  current: z.boolean(),
});
export type PushSubscriptionView = z.infer<typeof PushSubscriptionView>;

/**
 * GET /api/push (phone session): the VAPID public key to subscribe with (`applicationServerKey`, base64url of the
 * 65-byte uncompressed P-256 point), this session's subscription if any, and every subscription of the owner.
 * `vapidPublicKey` is null when the Worker has no VAPID keys (push off; the phone says so).
 */
export const PushState = z.object({
  vapidPublicKey: z.string().nullable(),
  subscription: PushSubscriptionView.nullable(),
  subscriptions: z.array(PushSubscriptionView),
});
export type PushState = z.infer<typeof PushState>;

// DELETE /api/push/subscription (phone session, no body): forget this session's subscription. 204, also when none.

/** Minutes an agent may be unseen before `agent-offline` is pushed (once per outage). */
export const AGENT_OFFLINE_PUSH_MINUTES = 10;

/**
 * The JSON the Worker encrypts (aes128gcm) into a push message; the service worker parses it with this schema and
 * shows a notification. `tag` lets a later message replace an earlier one about the same thing. `text` is content
 * (a prompt's first line, an approval's summary), kept apart from the envelope.
 */
export const PushMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('task'),
    taskId: TaskId,
    status: TaskStatus,
    tag: z.string().max(128),
    text: z.string().max(200),
  }),
  z.object({
    type: z.literal('approval'),
    approvalId: ApprovalId,
    taskId: TaskId,
    /** The decision must carry it back (DecisionRequest.inputHash): the notification's Allow answers this call only. */
    inputHash: InputHash,
    deadlineAt: z.number().int(),
    tag: z.string().max(128),
    text: z.string().max(200),
    /**
     * True only when `text` is the approval's whole summary, unchanged: one line, nothing cut, no character that
     * could hide part of it. The phone offers Allow on the notification only then (and only when it shows all of
     * `text`); otherwise Deny and "Open to review". Absent (an older Worker) counts as false.
     */
    complete: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('agent-offline'),
    deviceId: DeviceId,
    /** Epoch ms the agent was last seen. */
    lastSeenAt: z.number().int(),
    tag: z.string().max(128),
    text: z.string().max(200),
  }),
]);
export type PushMessage = z.infer<typeof PushMessage>;

/** Largest PushMessage JSON, in bytes: under the 4096-byte record (RFC 8291 §4) with room for padding. */
export const MAX_PUSH_MESSAGE_BYTES = 3000;
