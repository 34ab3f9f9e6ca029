// The cron's agent-offline push against the real Worker (AGENT_OFFLINE_PUSH_MS shortened): once per outage even when
// two cron runs race, again after the agent was seen and went quiet again, never for a revoked or never-seen agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { PushService, ReceivedPush } from '../support/push-service.ts';
import { pushOwner, runCron, runTask, startPushWorld, type PushWorld } from '../support/push-world.ts';
import { pairAgent, type RunningWorker } from '../support/worker.ts';

const OFFLINE_MS = 2_000;

let world: PushWorld;
let worker: RunningWorker;
let push: PushService;
let d1: Database.Database;

beforeAll(async () => {
  world = await startPushWorld({ vars: { AGENT_OFFLINE_PUSH_MS: String(OFFLINE_MS) } });
  ({ worker, push, d1 } = world);
});

afterAll(async () => {
  await world?.stop();
});

const device = (id: string) =>
  d1.prepare('select last_seen_at as lastSeenAt, offline_pushed_at as offlinePushedAt from devices where id = ?').get(id) as {
    lastSeenAt: number | null;
    offlinePushedAt: number | null;
  };
const offlineAbout = (subscriptionId: string, deviceId: string) => (m: ReceivedPush) =>
  m.subscriptionId === subscriptionId && (m.json as { type?: string; deviceId?: string }).type === 'agent-offline' && (m.json as { deviceId?: string }).deviceId === deviceId;
const quiet = () => new Promise((r) => setTimeout(r, OFFLINE_MS + 200));

describe('agent-offline push', () => {
  it('pushes once per outage, even when two cron runs race, and again after the agent was seen and went quiet', async () => {
    const owner = await pushOwner(worker, push, 'off-ann');
    const { api } = world;
    expect((await api.get('/api/agent/tasks/queued', owner.bearer)).status).toBe(200);
    const seenAt = device(owner.agent.deviceId).lastSeenAt;
    expect(seenAt).not.toBeNull();
    await quiet();
    await Promise.all([runCron(worker), runCron(worker)]);
    const first = await push.waitForMessage(offlineAbout(owner.sub!.id, owner.agent.deviceId));
    expect(first.json).toEqual({
      type: 'agent-offline',
      deviceId: owner.agent.deviceId,
      lastSeenAt: seenAt,
      tag: `agent-offline:${owner.agent.deviceId}`,
      text: 'off-ann-agent',
    });
    expect(device(owner.agent.deviceId).offlinePushedAt).not.toBeNull();
    await runCron(worker);

    // Seen again: the mark is cleared (a task run is also a marker that the crons above have been delivered).
    const marker = await runTask(worker, owner, 'succeeded');
    await push.waitForMessage((m) => m.subscriptionId === owner.sub!.id && (m.json as { taskId?: string }).taskId === marker.id);
    expect(push.messages().filter(offlineAbout(owner.sub!.id, owner.agent.deviceId))).toHaveLength(1);
    const back = device(owner.agent.deviceId);
    expect(back.offlinePushedAt).toBeNull();
    expect(back.lastSeenAt).toBeGreaterThan(seenAt!);

    await quiet();
    await runCron(worker);
    const second = await push.waitForMessage((m) => offlineAbout(owner.sub!.id, owner.agent.deviceId)(m) && m !== first);
    expect(second.json).toMatchObject({ lastSeenAt: back.lastSeenAt });
  });

  it('counts pairing as being seen, and never pushes about a revoked agent', async () => {
    const owner = await pushOwner(worker, push, 'off-bo');
    const { api } = world;
    const silent = await pairAgent(worker.url, owner.cookie, 'off-bo-silent');
    const revoked = await pairAgent(worker.url, owner.cookie, 'off-bo-old');
    expect((await api.raw(`/api/devices/${revoked.deviceId}`, { method: 'DELETE', auth: owner.cookie })).status).toBe(200);
    await quiet();
    await runCron(worker);
    // Both live agents are pushed by this cron run (the silent one was last seen when it paired); the revoked is not.
    await push.waitForMessage(offlineAbout(owner.sub!.id, owner.agent.deviceId));
    await push.waitForMessage(offlineAbout(owner.sub!.id, silent.deviceId));
    await runCron(worker);
    const about = push.messages().filter((m) => m.subscriptionId === owner.sub!.id).map((m) => (m.json as { deviceId?: string }).deviceId);
    expect(about.sort()).toEqual([owner.agent.deviceId, silent.deviceId].sort());
    expect(device(revoked.deviceId).offlinePushedAt).toBeNull();
  });
});
