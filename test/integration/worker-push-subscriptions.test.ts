// The phone's /api/push routes against the real Worker: authentication, strict validation (nothing stored on a bad
// subscription), one row per session, an endpoint moving between sessions and owners without revealing anything,
// owner scoping, and the audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ALL_PUSH_EVENTS, AuditPage, PushSubscriptionView } from '../../protocol/index.ts';
import type { PushService } from '../support/push-service.ts';
import { pushApi, pushOwner, runTask, startPushWorld, type PushWorld } from '../support/push-world.ts';
import { signIn, type RunningWorker } from '../support/worker.ts';
import { expectProblem } from '../support/worker-http.ts';

let world: PushWorld;
let worker: RunningWorker;
let push: PushService;
let calls: ReturnType<typeof pushApi>;
let d1: Database.Database;

beforeAll(async () => {
  world = await startPushWorld();
  ({ worker, push, d1 } = world);
  calls = pushApi(worker);
});

afterAll(async () => {
  await world?.stop();
});

const rowsOf = (ownerId: string) =>
  d1.prepare('select id, session_id as sessionId, endpoint from push_subscriptions where owner_id = ?').all(ownerId) as { id: string; sessionId: string; endpoint: string }[];
const audit = async (cookie: string) => AuditPage.parse(await (await world.api.get('/api/audit', cookie)).json()).entries;

describe('/api/push', () => {
  it('answers 401 without a session, on every method', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const res = await calls.call(method, null, method === 'PUT' || method === 'PATCH' ? { events: [] } : undefined);
      await expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('refuses a bad subscription with 400 and stores nothing', async () => {
    const owner = await pushOwner(worker, push, 'sub-ivy', { subscribe: false });
    const good = push.createSubscription();
    const body = { endpoint: good.endpoint, expirationTime: null, keys: good.keys };
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url');
    const bad: Array<[string, unknown]> = [
      ['http to a non-local host', { ...body, endpoint: 'http://push.example.org/x' }],
      ['https to a private IP', { ...body, endpoint: 'https://10.0.0.7/push/x' }],
      ['credentials in the URL', { ...body, endpoint: 'https://u:p@push.example.org/x' }],
      ['p256dh not on the curve', { ...body, keys: { ...good.keys, p256dh: offCurve } }],
      ['p256dh too short', { ...body, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(0, 40) } }],
      ['auth too long', { ...body, keys: { ...good.keys, auth: Buffer.alloc(32).toString('base64url') } }],
      ['an unknown field', { ...body, extra: true }],
      ['an unknown event', { ...body, events: ['task-exploded'] }],
      ['no keys', { endpoint: good.endpoint }],
    ];
    for (const [what, payload] of bad) {
      const res = await calls.call('PUT', owner.cookie, payload);
      expect(res.status, what).toBe(400);
      await expectProblem(res, 400, 'invalid-request');
    }
    expect(rowsOf(owner.ownerId)).toEqual([]);
    expect((await calls.state(owner.cookie)).subscriptions).toEqual([]);
    expect((await calls.call('PUT', owner.cookie, body)).status).toBe(200); // the same body, fixed, is accepted
  });

  it('keeps one row per session: re-subscribing updates it, a new endpoint replaces it; PATCH and DELETE act on it', async () => {
    const owner = await pushOwner(worker, push, 'sub-jo', { subscribe: false });
    const first = push.createSubscription();
    const view = await calls.subscribe(owner.cookie, first);
    expect(view).toMatchObject({ service: new URL(push.url).host, events: [...ALL_PUSH_EVENTS], lastSentAt: null, current: true });
    const state = await calls.state(owner.cookie);
    expect(state).toEqual({ vapidPublicKey: worker.vapid?.publicKey, subscription: view, subscriptions: [view] });
    expect(await calls.subscribe(owner.cookie, first, ['task-failed', 'task-failed', 'approval-requested'])).toMatchObject({
      id: view.id,
      events: ['task-failed', 'approval-requested'],
    });
    const second = push.createSubscription();
    const replaced = await calls.subscribe(owner.cookie, second);
    expect(replaced.id).not.toBe(view.id);
    expect(rowsOf(owner.ownerId).map((r) => r.endpoint)).toEqual([second.endpoint]);
    const patched = await calls.call('PATCH', owner.cookie, { events: ['agent-offline'] });
    expect(PushSubscriptionView.parse(await patched.json())).toMatchObject({ id: replaced.id, events: ['agent-offline'] });
    await expectProblem(await calls.call('PATCH', owner.cookie, { events: ['agent-offline'], endpoint: second.endpoint }), 400, 'invalid-request');
    expect((await calls.call('DELETE', owner.cookie)).status).toBe(204);
    expect((await calls.call('DELETE', owner.cookie)).status).toBe(204);
    await expectProblem(await calls.call('PATCH', owner.cookie, { events: [] }), 404, 'not-found');
    expect((await calls.state(owner.cookie)).subscription).toBeNull();
    const actions = (await audit(owner.cookie)).filter((e) => e.action.startsWith('push-')).map((e) => [e.action, e.actor.split(':')[0]]);
    expect(actions).toEqual([['push-unsubscribed', 'session'], ['push-subscribed', 'session'], ['push-subscribed', 'session']]);
  });

  it("moves an endpoint to the owner's newer session, keeping its events", async () => {
    const owner = await pushOwner(worker, push, 'sub-kai', { events: ['task-lost'] });
    const newer = await signIn(worker.url, worker.setupSecret, 'sub-kai');
    const moved = await calls.subscribe(newer, owner.sub!);
    expect(moved).toMatchObject({ id: owner.rowId, events: ['task-lost'], current: true });
    const fromOld = await calls.state(owner.cookie);
    expect(fromOld.subscription).toBeNull();
    expect(fromOld.subscriptions).toEqual([{ ...moved, current: false }]);
    expect(rowsOf(owner.ownerId)).toHaveLength(1);
  });

  it("never shows or changes another owner's subscription, and a browser signed in as another owner takes its endpoint over", async () => {
    const alice = await pushOwner(worker, push, 'sub-lia');
    const bob = await pushOwner(worker, push, 'sub-max', { subscribe: false });
    expect((await calls.state(bob.cookie)).subscriptions).toEqual([]);
    await expectProblem(await calls.call('PATCH', bob.cookie, { events: [] }), 404, 'not-found');
    expect((await calls.call('DELETE', bob.cookie)).status).toBe(204);
    expect((await calls.state(alice.cookie)).subscription?.id).toBe(alice.rowId);

    // Alice's browser is now signed in as Bob: the same endpoint and keys, PUT from Bob's session.
    const fresh = await calls.subscribe(bob.cookie, push.createSubscription());
    const takeover = await calls.subscribe(bob.cookie, alice.sub!);
    expect(takeover.id).not.toBe(alice.rowId);
    expect(Object.keys(takeover)).toEqual(Object.keys(fresh));
    expect(takeover).toMatchObject({ events: [...ALL_PUSH_EVENTS], lastSentAt: null, current: true });
    expect((await calls.state(alice.cookie)).subscriptions).toEqual([]);
    expect(rowsOf(alice.ownerId)).toEqual([]);
    const aliceLog = (await audit(alice.cookie)).find((e) => e.action === 'push-unsubscribed');
    expect(aliceLog).toMatchObject({ actor: 'system', ip: null, userAgent: null, detail: { service: new URL(push.url).host } });

    const bobTask = await runTask(worker, bob, 'succeeded');
    await push.waitForMessage((m) => m.subscriptionId === alice.sub!.id && (m.json as { taskId?: string }).taskId === bobTask.id);
    const aliceTask = await runTask(worker, alice, 'succeeded');
    const marker = await runTask(worker, bob, 'failed');
    await push.waitForMessage((m) => m.subscriptionId === alice.sub!.id && (m.json as { taskId?: string }).taskId === marker.id);
    expect(push.messages().some((m) => (m.json as { taskId?: string }).taskId === aliceTask.id)).toBe(false);
  });
});
