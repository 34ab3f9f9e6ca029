// Set-up shared by the Web Push tests: the push-service stand-in and a Worker, an owner signed in with a paired agent and
// a subscription minted by the stand-in, the /api/push calls, and running a task to an end through the agent API.
import type Database from 'better-sqlite3';
import { expect } from 'vitest';
import { ApprovalView, PushState, PushSubscriptionView, TaskView, type PushEvent } from '../../protocol/index.ts';
import { startPushService, type PushService, type PushServiceSubscription } from './push-service.ts';
import { openD1, type RunningWorker, type StartWorkerOptions } from './worker.ts';
import { apiClient } from './worker-http.ts';
import { bearer, capableAgent, signedInOwner, startRecordedWorker, type RecordedWorker } from './worker-owners.ts';

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

export type PushWorld = RecordedWorker & {
  push: PushService;
  /** The Worker's local D1, open (closed by stop()). */
  d1: Database.Database;
};

/** Start the push-service stand-in and a recorded Worker (`opts` as startWorker's); stop() ends all of it. */
export async function startPushWorld(opts: Omit<StartWorkerOptions, 'partykitHost'> = {}): Promise<PushWorld> {
  const push = await startPushService();
  let recorded: RecordedWorker | undefined;
  try {
    recorded = await startRecordedWorker(opts);
    const d1 = await openD1(recorded.worker);
    const { stop } = recorded;
    return {
      ...recorded,
      push,
      d1,
      stop: async () => {
        d1.close();
        await stop();
        await push.stop();
      },
    };
  } catch (error) {
    await recorded?.stop();
    await push.stop();
    throw error;
  }
}

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
  const { cookie, ownerId } = await signedInOwner(worker, name);
  const agent = await capableAgent(worker, cookie, `${name}-agent`, CAPS);
  const owner = { ownerId, cookie, agent, bearer: bearer(agent) };
  if (opts.subscribe === false) return { ...owner, sub: null, rowId: null };
  const sub = push.createSubscription(worker.vapid ? { applicationServerKey: worker.vapid.publicKey } : {});
  const view = await pushApi(worker).subscribe(cookie, sub, opts.events);
  return { ...owner, sub, rowId: view.id };
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
