// With a short AGENT_OFFLINE_PUSH_MS, an agent that keeps calling the real Worker is never pushed about as offline
// (lastSeenAt is rewritten at least every half of the offline time, not only once a minute); once it goes quiet, it is.
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushService, ReceivedPush } from '../support/push-service.ts';
import { pushOwner, runCron, runTask, startPushWorld, type PushWorld } from '../support/push-world.ts';
import type { RunningWorker } from '../support/worker.ts';

const OFFLINE_MS = 3_000;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const device = (deviceId: string) =>
  d1.prepare('select last_seen_at as lastSeenAt, offline_pushed_at as offlinePushedAt from devices where id = ?').get(deviceId) as {
    lastSeenAt: number | null;
    offlinePushedAt: number | null;
  };
const offlineAbout = (subscriptionId: string, deviceId: string) => (m: ReceivedPush) =>
  m.subscriptionId === subscriptionId && (m.json as { type?: string }).type === 'agent-offline' && (m.json as { deviceId?: string }).deviceId === deviceId;

describe('agent-offline push with a short offline time', () => {
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
