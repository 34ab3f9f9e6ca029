// The D1 schema (drizzle sqlite-core): the source of the SQL migrations in migrations/ (drizzle-kit generate).
// Every row carries its owner; tokens are stored only as SHA-256 hashes; no cascading deletes (STACK-NOTES).
import { sqliteTable, text, integer, blob, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/** Owners. Times are epoch ms. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [uniqueIndex('users_name_unique').on(t.name)]);

/**
 * Phone sessions (cookie `hearth_session`). `expiresAt` is absolute; `lastUsedAt` drives the idle expiry.
 * `credentialId` is the passkey that signed it in; `passkeyVerifiedAt` the last passkey check (sign-in or a
 * re-verification), which sensitive actions require to be recent. `revokedAt`: revoked from another session.
 */
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  tokenHash: text('token_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  lastUsedAt: integer('last_used_at'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  credentialId: text('credential_id'),
  passkeyVerifiedAt: integer('passkey_verified_at'),
  revokedAt: integer('revoked_at'),
}, (t) => [uniqueIndex('sessions_token_hash_unique').on(t.tokenHash), index('sessions_owner_idx').on(t.ownerId)]);

/**
 * WebAuthn credentials (passkeys), several per owner. `id` is the credential id (base64url); `publicKey` the COSE
 * public key (base64url); `counter` the signature counter last seen; `transports` a JSON array of strings.
 */
export const passkeys = sqliteTable('passkeys', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  publicKey: text('public_key').notNull(),
  counter: integer('counter').notNull(),
  transports: text('transports'),
  deviceType: text('device_type'),
  backedUp: integer('backed_up', { mode: 'boolean' }),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
}, (t) => [index('passkeys_owner_idx').on(t.ownerId)]);

/**
 * WebAuthn challenges, each used once (conditional UPDATE of `usedAt`). `purpose`: register (first passkey from a
 * setup link, `linkId`; or another passkey from a session), authenticate (sign-in, no owner yet) or reverify (a
 * session proving a passkey again). Times are epoch ms.
 */
export const webauthnChallenges = sqliteTable('webauthn_challenges', {
  id: text('id').primaryKey(),
  challenge: text('challenge').notNull(),
  purpose: text('purpose', { enum: ['register', 'authenticate', 'reverify'] }).notNull(),
  ownerId: text('owner_id').references(() => users.id),
  sessionId: text('session_id'),
  linkId: text('link_id'),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
}, (t) => [uniqueIndex('webauthn_challenges_challenge_unique').on(t.challenge)]);

/** One-time setup links minted with SETUP_SECRET: each lets its owner register one passkey, once (`usedAt`). */
export const signInLinks = sqliteTable('sign_in_links', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  tokenHash: text('token_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
}, (t) => [uniqueIndex('sign_in_links_token_hash_unique').on(t.tokenHash)]);

/**
 * RFC 8628 device authorization requests. `ownerId` is null until an owner approves or denies. `userCode` is the
 * 8 letters without the dash. `status`: pending → approved | denied; approved → redeemed (once).
 */
export const deviceCodes = sqliteTable('device_codes', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').references(() => users.id),
  deviceCodeHash: text('device_code_hash').notNull(),
  userCode: text('user_code').notNull(),
  deviceName: text('device_name'),
  status: text('status', { enum: ['pending', 'approved', 'denied', 'redeemed'] }).notNull(),
  /** Poll interval in seconds (RFC 8628 §3.5: +5 on every slow_down). */
  interval: integer('interval').notNull(),
  lastPolledAt: integer('last_polled_at'),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  decidedAt: integer('decided_at'),
  /** The device minted when the code was redeemed. */
  deviceId: text('device_id'),
}, (t) => [
  uniqueIndex('device_codes_hash_unique').on(t.deviceCodeHash),
  uniqueIndex('device_codes_user_code_unique').on(t.userCode),
]);

/** Paired home agents. `capabilities` is AgentCapabilities as JSON text (parsed on read). */
export const devices = sqliteTable('devices', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  capabilities: text('capabilities'),
  createdAt: integer('created_at').notNull(),
  lastSeenAt: integer('last_seen_at'),
  revokedAt: integer('revoked_at'),
  /** When `agent-offline` was pushed for the current outage (epoch ms); cleared when the agent is seen again. */
  offlinePushedAt: integer('offline_pushed_at'),
}, (t) => [uniqueIndex('devices_token_hash_unique').on(t.tokenHash), index('devices_owner_idx').on(t.ownerId)]);

/** Tasks (DESIGN.md §3). `finalScreen` is ScreenRows as JSON text; `agentFinishedAt` marks the one finish. */
export const tasks = sqliteTable('tasks', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  status: text('status', {
    enum: ['queued', 'running', 'waiting_approval', 'succeeded', 'failed', 'cancelled', 'timed_out', 'lost'],
  }).notNull(),
  workspace: text('workspace').notNull(),
  backend: text('backend').notNull(),
  prompt: text('prompt').notNull(),
  createdAt: integer('created_at').notNull(),
  startedAt: integer('started_at'),
  endedAt: integer('ended_at'),
  exitCode: integer('exit_code'),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
  agentId: text('agent_id').references(() => devices.id),
  leaseExpiresAt: integer('lease_expires_at'),
  agentFinishedAt: integer('agent_finished_at'),
  finalScreen: text('final_screen'),
  /** Until when (epoch ms) the owner allowed what the home policy would ask about (POST /api/tasks/:id/auto-allow). */
  autoAllowUntil: integer('auto_allow_until'),
  /** A succeeded AI CLI task whose idle window the agent keeps open: follow-ups accepted until then (epoch ms). */
  openUntil: integer('open_until'),
  /** The model asked for with `/model` (ModelName); null: the CLI's default. */
  model: text('model'),
}, (t) => [
  index('tasks_owner_created_idx').on(t.ownerId, t.createdAt),
  index('tasks_status_lease_idx').on(t.status, t.leaseExpiresAt),
]);

/**
 * Tool approvals (DESIGN.md rule 7). `id` is chosen by the agent (idempotent create). `status`: pending → allowed |
 * denied | expired, decided once by a conditional UPDATE. `request` is ApprovalRequest as JSON text (content, kept
 * apart from the envelope). `decidedBy`: `session:<id>`, `device:<id>`, `deadline` or `task-ended`.
 */
export const approvals = sqliteTable('approvals', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  taskId: text('task_id').notNull().references(() => tasks.id),
  agentId: text('agent_id').notNull().references(() => devices.id),
  status: text('status', { enum: ['pending', 'allowed', 'denied', 'expired'] }).notNull(),
  inputHash: text('input_hash').notNull(),
  request: text('request').notNull(),
  createdAt: integer('created_at').notNull(),
  deadlineAt: integer('deadline_at').notNull(),
  decidedAt: integer('decided_at'),
  decidedBy: text('decided_by'),
  decidedIp: text('decided_ip'),
  decidedUserAgent: text('decided_user_agent'),
}, (t) => [
  index('approvals_owner_status_idx').on(t.ownerId, t.status),
  index('approvals_task_idx').on(t.taskId),
  index('approvals_status_deadline_idx').on(t.status, t.deadlineAt),
]);

/**
 * Follow-up messages (issue 3). `id` is chosen by the phone (a retried POST finds its row). `status`: pending →
 * delivered, once, by a conditional UPDATE when the task's agent takes it to type into the window. `text` is content.
 */
export const followUps = sqliteTable('follow_ups', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  taskId: text('task_id').notNull().references(() => tasks.id),
  status: text('status', { enum: ['pending', 'delivered'] }).notNull(),
  text: text('text').notNull(),
  createdAt: integer('created_at').notNull(),
  deliveredAt: integer('delivered_at'),
}, (t) => [index('follow_ups_task_idx').on(t.taskId, t.createdAt), index('follow_ups_owner_status_idx').on(t.ownerId, t.status)]);

/**
 * The audit log: append-only and tamper-evident. Each owner's entries form a chain: `seq` counts from 1 without gaps
 * and `hash` = SHA-256 hex of `prevHash` and the entry's canonical JSON (`prevHash` of seq 1 is 64 zeros). The
 * primary key (owner, seq) makes two appends at once collide instead of forking the chain. `actor`:
 * `session:<id>`, `device:<id>`, `setup` or `system`; `detail` is JSON text.
 */
export const auditLog = sqliteTable('audit_log', {
  ownerId: text('owner_id').notNull().references(() => users.id),
  seq: integer('seq').notNull(),
  at: integer('at').notNull(),
  action: text('action').notNull(),
  actor: text('actor').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  subject: text('subject'),
  detail: text('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [primaryKey({ columns: [t.ownerId, t.seq] })]);

/** Fixed-window counters for rate limits: `key` names the limit and who (e.g. `sign-in:ip:203.0.113.9`). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').notNull(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
}, (t) => [primaryKey({ columns: [t.key, t.windowStart] })]);


/**
 * Web Push subscriptions (RFC 8030/8291), one per phone session. `events` is PushEvent[] as JSON text. A push
 * service answer of 404 or 410 deletes the row. `endpoint` is unique: a browser re-subscribing updates its row.
 */
export const pushSubscriptions = sqliteTable('push_subscriptions', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  sessionId: text('session_id').notNull().references(() => sessions.id),
  endpoint: text('endpoint').notNull(),
  p256dh: text('p256dh').notNull(),
  auth: text('auth').notNull(),
  events: text('events').notNull(),
  expirationTime: integer('expiration_time'),
  createdAt: integer('created_at').notNull(),
  lastSentAt: integer('last_sent_at'),
  /** Consecutive failed sends other than 404/410 and 429 (5xx, network); reset by a success. */
  failures: integer('failures').notNull().default(0),
}, (t) => [
  uniqueIndex('push_subscriptions_endpoint_unique').on(t.endpoint),
  index('push_subscriptions_owner_idx').on(t.ownerId),
  uniqueIndex('push_subscriptions_session_unique').on(t.sessionId),
]);

/**
 * Image attachments (issue 5). `data` holds the bytes until the agent confirms it wrote them at home
 * (`receivedAt`), then it is set to null: the edge keeps only the envelope. Unbound rows expire after an hour.
 */
export const attachments = sqliteTable('attachments', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull().references(() => users.id),
  taskId: text('task_id').references(() => tasks.id),
  /** Order on its task (0-based), set when bound. */
  position: integer('position'),
  name: text('name').notNull(),
  mediaType: text('media_type').notNull(),
  bytes: integer('bytes').notNull(),
  sha256: text('sha256').notNull(),
  data: blob('data', { mode: 'buffer' }),
  createdAt: integer('created_at').notNull(),
  receivedAt: integer('received_at'),
}, (t) => [index('attachments_task_idx').on(t.taskId), index('attachments_owner_created_idx').on(t.ownerId, t.createdAt)]);

export const schema = {
  users, sessions, passkeys, webauthnChallenges, signInLinks, deviceCodes, devices, tasks, approvals, followUps, auditLog, rateLimits,
  pushSubscriptions, attachments,
};
