// Owners on a test Worker for the HTTP API suites: a Worker whose room is a recorder (startRecorder), owners signed in
// through the passkey ceremony, and agents paired for them through the device flow with their capabilities declared.
import { expect } from 'vitest';
import { Me } from '../../protocol/index.ts';
import { pairAgent, signIn, startWorker, type RunningWorker, type StartWorkerOptions } from './worker.ts';
import { apiClient, startRecorder } from './worker-http.ts';

/** A paired agent: its access token and device id (pairAgent also returns the spent codes). */
export type Agent = { token: string; deviceId: string };

/** The Authorization header value of `agent`'s calls. */
export const bearer = (agent: { token: string }): string => `Bearer ${agent.token}`;

/** What an agent declares with PUT /api/agent/capabilities. */
export type Capabilities = { workspaces: string[]; backends: string[]; maxConcurrent: number };

export type RecordedWorker = {
  worker: RunningWorker;
  /** Stands where the room would be: every RoomNotification the Worker POSTs. */
  recorder: Awaited<ReturnType<typeof startRecorder>>;
  api: ReturnType<typeof apiClient>;
  /** Stops the Worker, then the recorder. */
  stop(): Promise<void>;
};

/** Start a recorder and a Worker that notifies it; `opts` as startWorker's otherwise. */
export async function startRecordedWorker(opts: Omit<StartWorkerOptions, 'partykitHost'> = {}): Promise<RecordedWorker> {
  const recorder = await startRecorder();
  let worker: RunningWorker;
  try {
    worker = await startWorker({ ...opts, partykitHost: recorder.host });
  } catch (error) {
    await recorder.close();
    throw error;
  }
  return {
    worker,
    recorder,
    api: apiClient(worker.url),
    stop: async () => {
      await worker.stop();
      await recorder.close();
    },
  };
}

/** Sign `name` in on `worker` (setup link + software passkey): the `hearth_session=…` cookie pair and the owner's id. */
export async function signedInOwner(worker: RunningWorker, name: string): Promise<{ cookie: string; ownerId: string }> {
  const cookie = await signIn(worker.url, worker.setupSecret, name);
  const { ownerId } = Me.parse(await (await apiClient(worker.url).get('/api/me', cookie)).json());
  return { cookie, ownerId };
}

/** Pair an agent called `name` for the owner of `cookie` and declare `caps` for it (expects 200). */
export async function capableAgent(worker: RunningWorker, cookie: string, name: string, caps: Capabilities): Promise<Agent> {
  const agent = await pairAgent(worker.url, cookie, name);
  expect((await apiClient(worker.url).put('/api/agent/capabilities', caps, bearer(agent))).status).toBe(200);
  return agent;
}

export type TwoOwners = {
  /** alice's and bob's cookie pairs. */
  alice: string;
  bob: string;
  aliceId: string;
  bobId: string;
  /** alice-laptop and alice-desktop, alice's two agents. */
  agentA: Agent;
  agentA2: Agent;
  /** bob-laptop, bob's agent. */
  agentB: Agent;
};

/** alice with two agents and bob with one on `worker`, every agent declaring `caps`: the owner-scoping cast. */
export async function twoOwners(worker: RunningWorker, caps: Capabilities): Promise<TwoOwners> {
  const alice = await signedInOwner(worker, 'alice');
  const bob = await signedInOwner(worker, 'bob');
  return {
    alice: alice.cookie,
    bob: bob.cookie,
    aliceId: alice.ownerId,
    bobId: bob.ownerId,
    agentA: await capableAgent(worker, alice.cookie, 'alice-laptop', caps),
    agentA2: await capableAgent(worker, alice.cookie, 'alice-desktop', caps),
    agentB: await capableAgent(worker, bob.cookie, 'bob-laptop', caps),
  };
}
