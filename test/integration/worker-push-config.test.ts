// How configuration changes Web Push, against the real Worker: without VAPID keys push is off (no key handed out,
// no subscription stored, nothing sent); without PUSH_ALLOW_LOCAL_ENDPOINTS only public https endpoints are accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { startPushService, type PushService } from '../support/push-service.ts';
import { pushApi, pushOwner, runCron, runTask } from '../support/push-world.ts';
import { openD1, startWorker, type RunningWorker } from '../support/worker.ts';
import { expectProblem, startRecorder } from '../support/worker-http.ts';

let push: PushService;
let recorder: Awaited<ReturnType<typeof startRecorder>>;

beforeAll(async () => {
  push = await startPushService();
  recorder = await startRecorder();
});

afterAll(async () => {
  await push?.stop();
  await recorder?.close();
});

describe('push off (no VAPID keys)', () => {
  let worker: RunningWorker;
  let d1: Database.Database;
  beforeAll(async () => {
    worker = await startWorker({ partykitHost: recorder.host, push: false, vars: { PUSH_ALLOW_LOCAL_ENDPOINTS: 'true' } });
    d1 = await openD1(worker);
  });
  afterAll(async () => {
    d1?.close();
    await worker?.stop();
  });

  it('hands out no key, stores no subscription, and sends nothing even to a row already stored', async () => {
    const owner = await pushOwner(worker, push, 'cfg-off', { subscribe: false });
    const calls = pushApi(worker);
    expect(await calls.state(owner.cookie)).toEqual({ vapidPublicKey: null, subscription: null, subscriptions: [] });
    const sub = push.createSubscription();
    const res = await calls.call('PUT', owner.cookie, { endpoint: sub.endpoint, keys: sub.keys });
    await expectProblem(res, 409, 'conflict');
    expect(d1.prepare('select count(*) as n from push_subscriptions').get()).toEqual({ n: 0 });

    // A row left from when push was on: nothing is sent to it.
    const session = d1.prepare('select id from sessions where owner_id = ?').get(owner.ownerId) as { id: string };
    d1.prepare(
      "insert into push_subscriptions (id, owner_id, session_id, endpoint, p256dh, auth, events, created_at) values (?, ?, ?, ?, ?, ?, '[\"task-succeeded\"]', ?)",
    ).run(crypto.randomUUID(), owner.ownerId, session.id, sub.endpoint, sub.keys.p256dh, sub.keys.auth, Date.now());
    await runTask(worker, owner, 'succeeded');
    await runCron(worker);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(push.attempts().filter((a) => a.subscriptionId === sub.id)).toEqual([]);
  });
});

describe('public endpoints only (PUSH_ALLOW_LOCAL_ENDPOINTS unset)', () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker({ partykitHost: recorder.host, vars: { PUSH_ALLOW_LOCAL_ENDPOINTS: 'false' } });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('refuses http and local or IP-literal endpoints with 400 and accepts a public https one', async () => {
    const owner = await pushOwner(worker, push, 'cfg-strict', { subscribe: false });
    const calls = pushApi(worker);
    const sub = push.createSubscription();
    const port = new URL(push.url).port;
    for (const endpoint of [sub.endpoint, `https://127.0.0.1:${port}/push/${sub.id}`, `https://localhost:${port}/push/x`, 'https://[::1]/push/x', 'https://192.168.1.20/push/x']) {
      const res = await calls.call('PUT', owner.cookie, { endpoint, keys: sub.keys });
      expect(res.status, endpoint).toBe(400);
    }
    expect((await calls.state(owner.cookie)).subscriptions).toEqual([]);
    const view = await calls.subscribe(owner.cookie, { ...sub, endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def' });
    expect(view.service).toBe('fcm.googleapis.com');
  });
});
