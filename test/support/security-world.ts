// The world the security suite attacks: a real room and a real Worker sharing secrets, owners signed in through the
// passkey ceremony with a paired agent each, one owner furnished with one of every kind of thing (tasks in each state,
// an approval, a follow-up, a passkey challenge), and snapshots of D1 rows to prove an attack changed nothing.
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ApprovalView, AttachmentView, FollowUpView, Me, PasskeyList, RegistrationOptionsResponse, SessionList, TaskView } from '../../protocol/index.ts';
import type { SoftAuthenticator } from '../../scripts/soft-authenticator.ts';
import { startRoom, type RunningRoom } from './room.ts';
import { openD1, pairAgent, signInOwner, startWorker, type RunningWorker } from './worker.ts';
import { apiClient } from './worker-http.ts';

/** The workspace and backends every agent here advertises, so another owner's agent qualifies for any task by them. */
export const WORKSPACE = 'repo';
const CAPABILITIES = { workspaces: [WORKSPACE], backends: ['shell', 'claude'], maxConcurrent: 8 };
/** A real 1×1 PNG, base64: the image the furnished owner attaches. */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export type SecurityOwner = {
  name: string;
  ownerId: string;
  cookie: string;
  authenticator: SoftAuthenticator;
  sessionId: string;
  passkeyId: string;
  /** Its paired agent, with the user_code and device_code that paired it (both spent). */
  agent: { token: string; deviceId: string; userCode: string; deviceCode: string };
};

/** One of every thing an owner has, by id (see furnish). */
export type OwnerThings = {
  queuedTask: string;
  /** Claimed by the owner's agent, now waiting_approval on `approval`. */
  runningTask: string;
  approval: { id: string; inputHash: string };
  /** Succeeded with its window open: takes follow-ups. */
  openTask: string;
  /** Was open; took `followUp`, which is pending delivery. */
  followedTask: string;
  followUp: string;
  /** An image uploaded and on no task yet. */
  looseAttachment: string;
  /** An image on `runningTask`, its bytes not yet received by the agent. */
  taskAttachment: string;
  /** An unspent add-a-passkey challenge of the owner's session and its options. */
  passkeyChallenge: RegistrationOptionsResponse;
};

export type SecurityWorld = {
  room: RunningRoom;
  worker: RunningWorker;
  api: ReturnType<typeof apiClient>;
  /** Sign `name` in (a new owner, fresh software passkey) and pair an agent advertising WORKSPACE. */
  owner(name: string): Promise<SecurityOwner>;
  stop(): Promise<void>;
};

const MINUTE = 60_000;
export const bearer = (token: string): string => `Bearer ${token}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Start the room and a Worker that uses it; leases last an hour so nothing of the world expires during a run. */
export async function startSecurityWorld(): Promise<SecurityWorld> {
  const room = await startRoom();
  let worker: RunningWorker;
  try {
    worker = await startWorker({ partykitHost: room.host, roomSecret: room.roomSecret, ticketSecret: room.ticketSecret, vars: { LEASE_MS: String(60 * MINUTE) } });
  } catch (err) {
    await room.stop();
    throw err;
  }
  const api = apiClient(worker.url);
  const owner = async (name: string): Promise<SecurityOwner> => {
    const { cookie, authenticator } = await signInOwner(worker.url, worker.setupSecret, name);
    const { ownerId } = Me.parse(await (await api.get('/api/me', cookie)).json());
    const sessionId = SessionList.parse(await (await api.get('/api/sessions', cookie)).json()).sessions.find((s) => s.current)?.id;
    const passkeyId = PasskeyList.parse(await (await api.get('/api/passkeys', cookie)).json()).passkeys[0]?.id;
    if (!sessionId || !passkeyId) throw new Error(`${name}: no current session or passkey listed`);
    const agent = await pairAgent(worker.url, cookie, `${name}-box`);
    expect((await api.put('/api/agent/capabilities', CAPABILITIES, bearer(agent.token))).status).toBe(200);
    return { name, ownerId, cookie, authenticator, sessionId, passkeyId, agent };
  };
  return {
    room,
    worker,
    api,
    owner,
    stop: async () => {
      await worker.stop();
      await room.stop();
    },
  };
}

/** Give `owner` one of every thing, through the API as its phone and its agent would. */
export async function furnish(world: SecurityWorld, owner: SecurityOwner): Promise<OwnerThings> {
  const { api } = world;
  const agent = bearer(owner.agent.token);
  const ok = async (res: Promise<Response>, status: number, what: string): Promise<unknown> => {
    const r = await res;
    if (r.status !== status) throw new Error(`${owner.name} ${what}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  const task = async (backend: string, prompt: string, attachmentIds: string[] = []): Promise<string> =>
    TaskView.parse(await ok(api.post('/api/tasks', { workspace: WORKSPACE, backend, prompt, attachmentIds }, owner.cookie), 201, 'task')).id;
  const image = async (): Promise<string> =>
    AttachmentView.parse(await ok(api.post('/api/attachments', { name: 'victim.png', mediaType: 'image/png', data: TINY_PNG }, owner.cookie), 201, 'attachment')).id;
  const claimed = async (backend: string, attachmentIds: string[] = []): Promise<string> => {
    const id = await task(backend, 'echo hi', attachmentIds);
    await ok(api.post(`/api/agent/tasks/${id}/claim`, undefined, agent), 200, 'claim');
    return id;
  };
  const finishedOpen = async (): Promise<string> => {
    const id = await claimed('claude');
    const finish = { status: 'succeeded', exitCode: null, error: null, finalScreen: ['> done'], keepOpenMs: 30 * MINUTE };
    await ok(api.post(`/api/agent/tasks/${id}/finish`, finish, agent), 200, 'finish');
    return id;
  };

  const queuedTask = await task('shell', 'echo queued');
  const taskAttachment = await image();
  const runningTask = await claimed('shell', [taskAttachment]);
  const looseAttachment = await image();
  const command = `rm -rf /tmp/${randomUUID()}`;
  const approval = { id: randomUUID(), inputHash: sha256(command), deadlineMs: 30 * MINUTE, request: { tool: 'Bash', summary: command, detail: command, cwd: '/home/me/repo', source: 'hook' } };
  ApprovalView.parse(await ok(api.post(`/api/agent/tasks/${runningTask}/approvals`, approval, agent), 201, 'approval'));
  const openTask = await finishedOpen();
  const followedTask = await finishedOpen();
  const followUp = FollowUpView.parse(await ok(api.post(`/api/tasks/${followedTask}/follow-ups`, { id: randomUUID(), text: 'and then?' }, owner.cookie), 201, 'follow-up')).id;
  const passkeyChallenge = RegistrationOptionsResponse.parse(await ok(api.post('/api/passkeys/options', {}, owner.cookie), 200, 'passkey options'));
  return { queuedTask, runningTask, approval: { id: approval.id, inputHash: approval.inputHash }, openTask, followedTask, followUp, looseAttachment, taskAttachment, passkeyChallenge };
}

/** Tables whose rows carry an owner_id (users is keyed by id). */
const OWNED_TABLES = ['sessions', 'passkeys', 'webauthn_challenges', 'sign_in_links', 'device_codes', 'devices', 'tasks', 'approvals', 'follow_ups', 'attachments', 'audit_log'];
const ALL_TABLES = ['users', ...OWNED_TABLES, 'rate_limits'];

/** Every D1 row that belongs to `ownerId` (its user row and every owned table), by table, in rowid order. */
export async function ownerRows(worker: RunningWorker, ownerId: string): Promise<Record<string, unknown[]>> {
  const d1 = await openD1(worker);
  try {
    const owned = OWNED_TABLES.map((t) => [t, d1.prepare(`SELECT * FROM ${t} WHERE owner_id = ? ORDER BY rowid`).all(ownerId)]);
    return Object.fromEntries([['users', d1.prepare('SELECT * FROM users WHERE id = ?').all(ownerId)], ...owned]);
  } finally {
    d1.close();
  }
}

/** Every row of every table, rate-limit windows included, by table, in rowid order. */
export async function databaseRows(worker: RunningWorker): Promise<Record<string, unknown[]>> {
  const d1 = await openD1(worker);
  try {
    return Object.fromEntries(ALL_TABLES.map((t) => [t, d1.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
  } finally {
    d1.close();
  }
}
