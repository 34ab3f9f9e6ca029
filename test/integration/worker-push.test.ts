// Web Push from the real Worker (workerd, real D1) to the push-service stand-in, which checks each request's VAPID
// JWT and decrypts its aes128gcm body: what is pushed for each event, exactly once, only to the events a phone chose,
// and what the Worker does with the push service's answers (404/410 delete, 5xx counted) and with revoked sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionList, TaskView } from '../../protocol/index.ts';
import type { PushService, ReceivedPush } from '../support/push-service.ts';
import { claimedTask, finish, openApproval, pushApi, pushOwner, runCron, runTask, startPushWorld, type PushOwner, type PushWorld } from '../support/push-world.ts';
import { signIn, type RunningWorker } from '../support/worker.ts';
import type Database from 'better-sqlite3';
import { eventually } from '../support/worker-http.ts';

const LEASE = 2_500;

let world: PushWorld;
let worker: RunningWorker;
let push: PushService;
let api: PushWorld['api'];
let d1: Database.Database;

beforeAll(async () => {
  world = await startPushWorld({ vars: { LEASE_MS: String(LEASE) } });
  ({ worker, push, api, d1 } = world);
});

afterAll(async () => {
  await world?.stop();
});

const of = (owner: PushOwner) => (m: { subscriptionId: string }) => m.subscriptionId === owner.sub?.id;
const messagesOf = (owner: PushOwner): ReceivedPush[] => push.messages().filter(of(owner));
const attemptsOf = (owner: PushOwner) => push.attempts().filter(of(owner));
/** A `task` push (not an approval, which names its task too) about `taskId` to the owner's subscription. */
const aboutTask = (owner: PushOwner, taskId: string) => (m: ReceivedPush) =>
  of(owner)(m) && (m.json as { type?: string }).type === 'task' && (m.json as { taskId?: string }).taskId === taskId;
/** The Worker's row for a subscription, read from its D1 file (undefined once deleted). */
const row = (id: string) =>
  d1.prepare('select failures, last_sent_at as lastSentAt from push_subscriptions where id = ?').get(id) as { failures: number; lastSentAt: number | null } | undefined;

describe('pushes per event', () => {
  it('pushes a finished task as a VAPID-signed aes128gcm message whose JSON is exactly the PushMessage', async () => {
    const owner = await pushOwner(worker, push, 'push-ada');
    const task = await runTask(worker, owner, 'succeeded', '\nFix the login bug\nand add a test for it');
    const message = await push.waitForMessage(aboutTask(owner, task.id));
    expect(message.json).toEqual({ type: 'task', taskId: task.id, status: 'succeeded', tag: `task:${task.id}`, text: 'Fix the login bug' });
    expect(message.headers).toMatchObject({ ttl: '86400', urgency: 'normal', 'content-encoding': 'aes128gcm' });
    expect(message.vapid).toMatchObject({ aud: push.url, sub: worker.vapid?.subject, k: worker.vapid?.publicKey });
    await eventually(() => expect(row(owner.rowId!)?.lastSentAt).toBeGreaterThanOrEqual(message.at - 5_000));
    expect((await pushApi(worker).state(owner.cookie)).subscription).toMatchObject({ id: owner.rowId, current: true });
  });

  it('pushes failed and timed_out once each, cuts the prompt to 120 characters, and skips a task the owner cancelled', async () => {
    const owner = await pushOwner(worker, push, 'push-bea');
    const long = `Refactor ${'the payment module '.repeat(10)}`;
    const failed = await runTask(worker, owner, 'failed', long);
    const timedOut = await runTask(worker, owner, 'timed_out');
    const cancelled = await claimedTask(worker, owner, 'sleep 100');
    expect((await api.post(`/api/tasks/${cancelled.id}/cancel`, undefined, owner.cookie)).status).toBe(200);
    expect((await finish(worker, owner, cancelled.id, 'failed')).status).toBe(200);
    expect((await finish(worker, owner, failed.id, 'failed')).status).toBe(409); // a retried finish: no second push
    const marker = await runTask(worker, owner, 'succeeded');
    await push.waitForMessage(aboutTask(owner, marker.id));
    const seen = messagesOf(owner).map((m) => m.json);
    expect(seen).toEqual([
      { type: 'task', taskId: failed.id, status: 'failed', tag: `task:${failed.id}`, text: `${long.slice(0, 119)}…` },
      { type: 'task', taskId: timedOut.id, status: 'timed_out', tag: `task:${timedOut.id}`, text: 'echo hi' },
      { type: 'task', taskId: marker.id, status: 'succeeded', tag: `task:${marker.id}`, text: 'echo hi' },
    ]);
  });

  it('pushes a task lost by the cron lease sweep, once', async () => {
    const owner = await pushOwner(worker, push, 'push-cy');
    const task = await claimedTask(worker, owner, 'long job');
    await new Promise((r) => setTimeout(r, LEASE + 300));
    await runCron(worker);
    const message = await push.waitForMessage(aboutTask(owner, task.id));
    expect(message.json).toEqual({ type: 'task', taskId: task.id, status: 'lost', tag: `task:${task.id}`, text: 'long job' });
    await runCron(worker);
    expect(TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, owner.cookie)).json()).status).toBe('lost');
    const marker = await runTask(worker, owner, 'failed');
    await push.waitForMessage(aboutTask(owner, marker.id));
    expect(messagesOf(owner).filter(aboutTask(owner, task.id))).toHaveLength(1);
  });

  it('pushes a new approval with high urgency until its deadline, and nothing for an idempotent retry', async () => {
    const owner = await pushOwner(worker, push, 'push-dee');
    const task = await claimedTask(worker, owner, 'deploy');
    const body = {
      id: crypto.randomUUID(),
      inputHash: 'b'.repeat(64),
      deadlineMs: 120_000,
      request: { tool: 'Bash', summary: 'git push --force origin main', detail: '{"command":"git push --force origin main"}', cwd: '/repo', source: 'hook' },
    };
    const opened = await openApproval(worker, owner, task.id, body);
    expect(opened.status).toBe(201);
    const message = await push.waitForMessage((m) => of(owner)(m) && (m.json as { type?: string }).type === 'approval');
    expect(message.json).toEqual({
      type: 'approval',
      approvalId: body.id,
      taskId: task.id,
      inputHash: body.inputHash,
      deadlineAt: opened.view.deadlineAt,
      tag: `approval:${body.id}`,
      text: 'git push --force origin main',
      complete: true,
    });
    expect(message.headers.urgency).toBe('high');
    expect(Number(message.headers.ttl)).toBeGreaterThan(100);
    expect(Number(message.headers.ttl)).toBeLessThanOrEqual(120);
    expect((await openApproval(worker, owner, task.id, body)).status).toBe(200);
    expect((await finish(worker, owner, task.id, 'failed')).status).toBe(200);
    await push.waitForMessage(aboutTask(owner, task.id));
    expect(messagesOf(owner).map((m) => (m.json as { type: string }).type)).toEqual(['approval', 'task']);
  });

  it('sends only the events a phone chose, and follows a PATCH of them', async () => {
    const owner = await pushOwner(worker, push, 'push-eve', { events: ['task-failed'] });
    const skipped = await runTask(worker, owner, 'succeeded');
    const failed = await runTask(worker, owner, 'failed');
    await push.waitForMessage(aboutTask(owner, failed.id));
    const patched = await pushApi(worker).call('PATCH', owner.cookie, { events: ['task-succeeded'] });
    expect(patched.status).toBe(200);
    const skippedToo = await runTask(worker, owner, 'failed');
    const succeeded = await runTask(worker, owner, 'succeeded');
    await push.waitForMessage(aboutTask(owner, succeeded.id));
    expect(messagesOf(owner).map((m) => (m.json as { taskId: string }).taskId)).toEqual([failed.id, succeeded.id]);
    expect(messagesOf(owner).some((m) => [skipped.id, skippedToo.id].includes((m.json as { taskId: string }).taskId))).toBe(false);
  });
});

describe("the push service's answers", () => {
  it.each([410, 404] as const)('deletes the subscription when the push service answers %i', async (status) => {
    const owner = await pushOwner(worker, push, `push-gone-${status}`);
    push.respond(owner.sub!.id, status);
    await runTask(worker, owner, 'failed');
    await push.waitForAttempt((a) => of(owner)(a) && a.status === status);
    await eventually(() => expect(row(owner.rowId!)).toBeUndefined());
    const state = await pushApi(worker).state(owner.cookie);
    expect([state.subscription, state.subscriptions]).toEqual([null, []]);
    await runTask(worker, owner, 'failed');
    await runTask(worker, owner, 'succeeded');
    expect(attemptsOf(owner)).toHaveLength(1);
  });

  it('keeps the subscription on 500 and counts failures; a success resets them; 5 in a row with no success for a day delete it', async () => {
    const owner = await pushOwner(worker, push, 'push-flaky');
    const id = owner.rowId!;
    push.respond(owner.sub!.id, 500);
    await runTask(worker, owner, 'failed');
    await eventually(() => expect(row(id)).toEqual({ failures: 1, lastSentAt: null }));
    push.respond(owner.sub!.id, 201);
    const ok = await runTask(worker, owner, 'failed');
    await push.waitForMessage(aboutTask(owner, ok.id));
    await eventually(() => expect(row(id)?.failures).toBe(0));
    push.respond(owner.sub!.id, 500);
    const dayAgo = Date.now() - 25 * 3_600_000;
    d1.prepare('update push_subscriptions set last_sent_at = ?, created_at = ? where id = ?').run(dayAgo, dayAgo, id);
    for (let n = 1; n <= 5; n++) {
      await runTask(worker, owner, 'failed');
      await push.waitForAttempt((a) => of(owner)(a) && attemptsOf(owner).filter((x) => x.status === 500).length === n + 1);
      if (n < 5) await eventually(() => expect(row(id)?.failures).toBe(n));
    }
    await eventually(() => expect(row(id)).toBeUndefined());
  });
});

describe('sessions', () => {
  it("sends nothing to a revoked session's subscription, and the cron prunes its row", async () => {
    const owner = await pushOwner(worker, push, 'push-hal');
    const other = await signIn(worker.url, worker.setupSecret, 'push-hal');
    const otherSub = push.createSubscription();
    await pushApi(worker).subscribe(other, otherSub);
    const sessions = SessionList.parse(await (await api.get('/api/sessions', owner.cookie)).json()).sessions;
    const first = sessions.find((s) => s.current)!;
    const revoke = await api.raw(`/api/sessions/${first.id}`, { method: 'DELETE', auth: other });
    expect(revoke.status).toBe(204);
    const task = await runTask(worker, { ...owner, cookie: other }, 'succeeded');
    await push.waitForMessage((m) => m.subscriptionId === otherSub.id && (m.json as { taskId?: string }).taskId === task.id);
    expect(attemptsOf(owner)).toEqual([]);
    expect(row(owner.rowId!)).toBeDefined();
    await runCron(worker);
    expect(row(owner.rowId!)).toBeUndefined();
    expect((await pushApi(worker).state(other)).subscriptions.map((s) => s.current)).toEqual([true]);
  });
});
