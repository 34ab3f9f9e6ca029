// The cron's agent-offline push against the real Worker (AGENT_OFFLINE_PUSH_MS shortened): once per outage even when
// two cron runs race, again after the agent was seen and went quiet again, never for a revoked or never-seen agent, and
// never for an agent that keeps calling (lastSeenAt is rewritten at least every half of the offline time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { PushService, ReceivedPush } from '../support/push-service.ts';
import { pushOwner, runCron, runTask, startPushWorld, type PushWorld } from '../support/push-world.ts';
import { pairAgent, type RunningWorker } from '../support/worker.ts';

const OFFLINE_MS = 2_000;
/** How often the "live" agent calls: well inside the offline time, whatever the write interval. */
const CALL_EVERY_MS = 250;

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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = () => sleep(OFFLINE_MS + 200);

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
    // A task's push after the crons is a marker that their pushes, had there been more, were delivered.
    const marker = await runTask(worker, owner, 'succeeded');
    await push.waitForMessage((m) => m.subscriptionId === owner.sub!.id && (m.json as { taskId?: string }).taskId === marker.id);
    const about = push.messages()
      .filter((m) => m.subscriptionId === owner.sub!.id && (m.json as { type?: string }).type === 'agent-offline')
      .map((m) => (m.json as { deviceId?: string }).deviceId);
    expect(about.sort()).toEqual([owner.agent.deviceId, silent.deviceId].sort());
    expect(device(revoked.deviceId).offlinePushedAt).toBeNull();
  });

  it('never reports an agent that keeps calling, and reports it once it goes quiet', async () => {
    const owner = await pushOwner(worker, push, 'live-ann');
    const { api } = world;
    const about = offlineAbout(owner.sub!.id, owner.agent.deviceId);
    const firstSeen = device(owner.agent.deviceId).lastSeenAt;
    expect(firstSeen).not.toBeNull();

    // Keep calling for over twice the offline time, running the cron every second meanwhile.
    let calling = true;
    const calls = (async () => {
      while (calling) {
        expect((await api.get('/api/agent/tasks/queued', owner.bearer)).status).toBe(200);
        await sleep(CALL_EVERY_MS);
      }
    })();
    for (let i = 0; i < 7; i++) {
      await sleep(1_000);
      await runCron(worker);
      expect(device(owner.agent.deviceId).offlinePushedAt).toBeNull();
    }
    calling = false;
    await calls;
    // lastSeenAt moved while the agent kept calling (with a fixed minute it would still be firstSeen).
    expect(device(owner.agent.deviceId).lastSeenAt).toBeGreaterThan(firstSeen!);
    // A task's push after the crons is a marker that their pushes, had there been any, were delivered.
    const marker = await runTask(worker, owner, 'succeeded');
    await push.waitForMessage((m) => m.subscriptionId === owner.sub!.id && (m.json as { taskId?: string }).taskId === marker.id);
    expect(push.messages().filter(about)).toEqual([]);

    // Quiet now: past the offline time the cron reports it.
    await sleep(OFFLINE_MS + 300);
    await runCron(worker);
    await push.waitForMessage(about);
  });
});
