// Set-up shared by the Web Push tests: an owner signed in with a paired agent and a subscription minted by the
// push-service stand-in, the /api/push calls, and running a task to an end through the agent API.
import { expect } from 'vitest';
import { ApprovalView, Me, PushState, PushSubscriptionView, TaskView, type PushEvent } from '../../protocol/index.ts';
import type { PushService, PushServiceSubscription } from './push-service.ts';
import { pairAgent, signIn, type RunningWorker } from './worker.ts';
import { apiClient } from './worker-http.ts';

export type PushOwner = {
  ownerId: string;
  cookie: string;
  agent: { token: string; deviceId: string };
  bearer: string;
  /** The stand-in's subscription (null when the owner did not subscribe). */
  sub: PushServiceSubscription | null;
  /** The Worker's push_subscriptions row id for `sub`. */
  rowId: string | null;
};

const CAPS = { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 4 };

/** The /api/push calls of one Worker, as a phone page makes them (cookie + the Worker's Origin on writes). */
export function pushApi(worker: RunningWorker) {
  const call = (method: string, cookie: string | null, body?: unknown) =>
    fetch(`${worker.url}/api/push${method === 'GET' ? '' : '/subscription'}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(method === 'GET' ? {} : { origin: worker.url }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    call,
    state: async (cookie: string) => {
      const res = await call('GET', cookie);
      expect(res.status).toBe(200);
      return PushState.parse(await res.json());
    },
    /** PUT a stand-in subscription the way PushSubscription.toJSON() gives it; expects 200. */
    subscribe: async (cookie: string, sub: PushServiceSubscription, events?: PushEvent[]) => {
      const res = await call('PUT', cookie, { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys, ...(events ? { events } : {}) });
      expect(res.status, await res.clone().text()).toBe(200);
      return PushSubscriptionView.parse(await res.json());
    },
  };
}

/**
 * Sign `name` in, pair an agent that can run `shell` in `repo`, and (unless `subscribe: false`) subscribe a fresh
 * stand-in subscription restricted to the Worker's VAPID key, with `events` (default: all).
 */
export async function pushOwner(
  worker: RunningWorker,
  push: PushService,
  name: string,
  opts: { events?: PushEvent[]; subscribe?: boolean } = {},
): Promise<PushOwner> {
  const api = apiClient(worker.url);
  const cookie = await signIn(worker.url, worker.setupSecret, name);
  const ownerId = Me.parse(await (await api.get('/api/me', cookie)).json()).ownerId;
  const agent = await pairAgent(worker.url, cookie, `${name}-agent`);
  const bearer = `Bearer ${agent.token}`;
  expect((await api.put('/api/agent/capabilities', CAPS, bearer)).status).toBe(200);
  if (opts.subscribe === false) return { ownerId, cookie, agent, bearer, sub: null, rowId: null };
  const sub = push.createSubscription(worker.vapid ? { applicationServerKey: worker.vapid.publicKey } : {});
  const view = await pushApi(worker).subscribe(cookie, sub, opts.events);
  return { ownerId, cookie, agent, bearer, sub, rowId: view.id };
}

/** Queue a task as the owner and claim it as their agent: the running task. */
export async function claimedTask(worker: RunningWorker, owner: PushOwner, prompt: string): Promise<TaskView> {
  const api = apiClient(worker.url);
  const created = await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt }, owner.cookie);
  expect(created.status).toBe(201);
  const task = TaskView.parse(await created.json());
  expect((await api.post(`/api/agent/tasks/${task.id}/claim`, undefined, owner.bearer)).status).toBe(200);
  return task;
}

/** The agent's finish call for `taskId` (status and the response, unchecked). */
export const finish = (worker: RunningWorker, owner: PushOwner, taskId: string, status: 'succeeded' | 'failed' | 'timed_out' | 'cancelled') =>
  apiClient(worker.url).post(`/api/agent/tasks/${taskId}/finish`, { status, exitCode: status === 'succeeded' ? 0 : 1, error: null, finalScreen: [] }, owner.bearer);

/** Run a task to `status` (queue, claim, finish); returns it as it was queued. */
export async function runTask(worker: RunningWorker, owner: PushOwner, status: 'succeeded' | 'failed' | 'timed_out', prompt = 'echo hi'): Promise<TaskView> {
  const task = await claimedTask(worker, owner, prompt);
  expect((await finish(worker, owner, task.id, status)).status).toBe(200);
  return task;
}

/** Open an approval on a running task as the agent (201 ApprovalView), or return the raw response of a retry. */
export async function openApproval(worker: RunningWorker, owner: PushOwner, taskId: string, body: Record<string, unknown>) {
  const res = await apiClient(worker.url).post(`/api/agent/tasks/${taskId}/approvals`, body, owner.bearer);
  return { status: res.status, view: ApprovalView.parse(await res.json()) };
}

/** Trigger the cron once (wrangler dev --test-scheduled). */
export async function runCron(worker: RunningWorker): Promise<void> {
  const res = await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`);
  await res.body?.cancel();
  expect(res.status).toBe(200);
}
