// Web push on a phone, end to end (issue 5): the real stack (Worker with VAPID keys, room, a paired agent running
// shell tasks and Claude Code against the scripted model) and headless Chromium at 390×844 with touch and the
// notifications permission granted. The push service is the local stand-in (test/support/push-service.ts): it
// mints the browser's subscription (headless Chromium has none of its own: see the first test and
// test/support/push-subscribe-stub.ts), checks each push's VAPID JWT and decrypts it; the test then forwards the
// decrypted payload into the real service worker with CDP ServiceWorker.deliverPushMessage (the push service's
// browser leg), and reads the notification back with registration.getNotifications().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { ALL_PUSH_EVENTS, ApprovalList, PushMessage, PushState } from '../../protocol/index.ts';
import { phoneContext, screenshotPath } from '../support/browser.ts';
import { sessionTokenHash } from '../support/passkeys.ts';
import { startPushService, type PushService, type PushServiceSubscription, type ReceivedPush } from '../support/push-service.ts';
import { stubPushSubscribe, type PushSubscribeStub } from '../support/push-subscribe-stub.ts';
import { openClaudePhonePage, type ClaudePhonePage } from '../support/phone-page.ts';
import type { Stack } from '../support/stack.ts';
import { waitFor } from '../support/tmux.ts';
import { withD1 } from '../support/worker.ts';
import { ownerCall } from '../support/worker-http.ts';

let pushService: PushService;
let phone: ClaudePhonePage;
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let stub: PushSubscribeStub;
let cdp: CDPSession;
let workspace: string;
/** The Worker's VAPID public key (GET /api/push), the applicationServerKey the page must subscribe with. */
let vapidKey: string;
/** The page's session id (its pushes and decisions are bound to it). */
let sessionId: string;
/** Service worker registration ids by scope URL, from CDP ServiceWorker.workerRegistrationUpdated. */
const registrations = new Map<string, string>();
/** Every POST …/decision the context sent (the service worker's fetches included), in order. */
const decisionPosts: string[] = [];

/** What a notification shown by the service worker looks like from the page. */
type Shown = { title: string; body: string; icon: string; badge: string; tag: string; data: unknown; requireInteraction: boolean; actions: unknown };
/** D1 rows read by the test. */
const SubscriptionRow = z.object({ endpoint: z.string(), session_id: z.string(), events: z.string() });
const ApprovalRow = z.object({ status: z.string(), decided_by: z.string().nullable(), decided_at: z.number().nullable() });
const Count = z.object({ n: z.number() });

beforeAll(async () => {
  pushService = await startPushService();
  phone = await openClaudePhonePage({
    label: 'e2e-push',
    script: {
      toolCall: { kind: 'shell', command: 'touch approved.txt', description: 'Create the file' },
      finalText: 'Done: approved.txt exists. PUSH-MARKER',
    },
    beforeSignIn: async (fresh) => {
      await fresh.context.grantPermissions(['notifications'], { origin: fresh.stack.origin });
      stub = await stubPushSubscribe(fresh.context, pushService);
      fresh.context.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/decision')) decisionPosts.push(request.url());
      });
      cdp = await fresh.context.newCDPSession(fresh.page);
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: updated }) => {
        for (const r of updated) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
      });
      await cdp.send('ServiceWorker.enable');
    },
  });
  ({ stack, browser, context, page, workspace } = phone);
  vapidKey = PushState.parse(await ownerCall(stack.origin, stack.cookie, 'GET', '/api/push')).vapidPublicKey ?? '';
  expect(vapidKey, 'the test Worker runs with VAPID keys').not.toBe('');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const cookie = (await context.cookies(stack.origin)).find((c) => c.name === 'hearth_session');
  const row = await withD1(stack.worker, (d1) => d1.prepare('SELECT id FROM sessions WHERE token_hash = ?').get(sessionTokenHash(`hearth_session=${cookie?.value}`)));
  sessionId = z.object({ id: z.string() }).parse(row).id;
});

afterAll(async () => {
  await phone?.stop();
  await pushService?.stop();
});

/** Queue a task as the owner; its id. */
const createTask = async (backend: 'shell' | 'claude', prompt: string): Promise<string> => (await stack.createTask({ workspace: 'demo', backend, prompt })).id;

/** The decrypted JSON of `push` as a PushMessage, or null when it is not one. */
const messageOf = (push: ReceivedPush): PushMessage | null => {
  const parsed = PushMessage.safeParse(push.json);
  return parsed.success ? parsed.data : null;
};

/** The first push to `subscription` whose decrypted JSON is a PushMessage that matches. */
const pushFor = (subscription: PushServiceSubscription, match: (m: PushMessage) => boolean, timeoutMs = 60_000): Promise<ReceivedPush> =>
  pushService.waitForMessage((push) => {
    const message = messageOf(push);
    return push.subscriptionId === subscription.id && message !== null && match(message);
  }, timeoutMs);

/** The page's subscription at the stand-in; throws when the page holds none. */
const currentSubscription = (): PushServiceSubscription => {
  const current = stub.current();
  if (current === null) throw new Error('the page holds no push subscription');
  return current;
};

/** Hand a decrypted payload to the page's service worker as the push service's browser leg would (CDP). */
async function deliver(push: Pick<ReceivedPush, 'text'>): Promise<void> {
  const registrationId = await waitFor('the service worker registration', () => registrations.get(`${stack.origin}/`));
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: stack.origin, registrationId, data: push.text });
}

/** The notification tagged `tag` once it matches `ready`, as registration.getNotifications() reports it. */
async function notification(tag: string, ready: (n: Shown) => boolean = () => true): Promise<Shown> {
  const read = () =>
    page.evaluate(async (t) => {
      const shown = await (await navigator.serviceWorker.ready).getNotifications({ tag: t });
      return shown.map((n) => ({ title: n.title, body: n.body, icon: n.icon, badge: n.badge, tag: n.tag, data: n.data as unknown, requireInteraction: n.requireInteraction, actions: Reflect.get(n, 'actions') as unknown }));
    }, tag);
  return waitFor(`a notification tagged ${tag}`, async () => (await read()).find(ready), 15_000);
}

/**
 * A tap on the notification's `action` button ('' for the notification itself). No CDP command taps a notification, so the test builds the
 * notificationclick event itself in the service worker and dispatches it to the real listener, on the real shown
 * Notification. Simulated: only the event (isTrusted is false, so its waitUntil throws after the listener has
 * started the work; the worker stays alive while DevTools is attached). What the listener does is the production code.
 */
async function tap(tag: string, action: string): Promise<void> {
  const sw: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await sw.evaluate(`(async () => {
    const [notification] = await self.registration.getNotifications({ tag: ${JSON.stringify(tag)} });
    if (!notification) throw new Error('no notification tagged ' + ${JSON.stringify(tag)});
    self.dispatchEvent(new NotificationEvent('notificationclick', { notification, action: ${JSON.stringify(action)} }));
  })()`);
}

const subscriptionRows = () =>
  withD1(stack.worker, (d1) => z.array(SubscriptionRow).parse(d1.prepare('SELECT endpoint, session_id, events FROM push_subscriptions WHERE session_id = ?').all(sessionId)));
const pushState = () => page.locator('#push-status').getAttribute('data-state');

describe('web push on the phone', () => {
  it('headless Chromium has no push service: a real PushManager.subscribe is refused (so the stand-in mints one)', async () => {
    const bare = await phoneContext(browser);
    await bare.grantPermissions(['notifications'], { origin: stack.origin });
    const plain = await bare.newPage();
    await plain.goto(stack.origin);
    const refusal = await plain.evaluate(async (key) => {
      const registration = await navigator.serviceWorker.ready;
      try {
        await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        return 'subscribed';
      } catch (error) {
        return error instanceof DOMException ? `${error.name}: ${error.message}` : String(error);
      }
    }, vapidKey);
    await bare.close();
    expect(refusal).toMatch(/^AbortError: /);
  });

  it('Settings → Notifications: Turn on subscribes with the Worker’s key and stores this phone’s subscription', async () => {
    await page.goto(`${stack.origin}/settings`);
    await page.locator('#push-status[data-state="off"]').waitFor();
    expect(await page.locator('#push-status').textContent()).toBe('This phone does not get notifications.');
    await page.getByRole('button', { name: 'Turn on notifications' }).tap();
    await page.locator('#push-status[data-state="on"]').waitFor();

    expect(stub.minted().map((m) => m.applicationServerKey)).toEqual([vapidKey]);
    const subscription = stub.current();
    expect(subscription).not.toBeNull();
    const rows = await subscriptionRows();
    expect(rows.map((r) => ({ endpoint: r.endpoint, events: JSON.parse(r.events) as unknown }))).toEqual([{ endpoint: subscription?.endpoint, events: [...ALL_PUSH_EVENTS] }]);
    for (const name of ['A task succeeds', 'A task fails', 'A tool call needs your approval']) {
      expect(await page.getByRole('checkbox', { name }).isChecked(), name).toBe(true);
    }
    expect(await page.getByRole('button', { name: 'Turn off notifications' }).isVisible()).toBe(true);
    await page.locator('#notifications').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('settings-notifications') });
  });

  it('a finished task is pushed (VAPID checked, payload decrypted) and the service worker shows it', async () => {
    const subscription = currentSubscription();
    const taskId = await createTask('shell', 'echo done');
    const push = await pushFor(subscription, (m) => m.type === 'task' && m.taskId === taskId);
    const expected: PushMessage = { type: 'task', taskId, status: 'succeeded', tag: `task:${taskId}`, text: 'echo done' };
    expect(push.json).toEqual(expected);
    expect(push.vapid).toMatchObject({ aud: pushService.url, k: vapidKey });
    expect(push.headers['content-encoding']).toBe('aes128gcm');

    await deliver(push);
    expect(await notification(expected.tag)).toEqual({
      title: '✓ Task succeeded',
      body: 'echo done',
      icon: `${stack.origin}/icons/status-succeeded.png`,
      badge: `${stack.origin}/icons/badge.png`,
      tag: expected.tag,
      data: expected,
      requireInteraction: false,
      actions: [],
    });

    // A tap on the notification itself brings the open app to the task.
    await tap(expected.tag, '');
    await page.waitForURL(`${stack.origin}/tasks/${taskId}`);
    await page.locator('#task-status[data-status="succeeded"]').waitFor();

    // A payload that is not a PushMessage still shows a notification (a silent push costs the subscription).
    await deliver({ text: '{"type":"something-else"}' });
    expect(await notification('hearth')).toMatchObject({ title: 'Hearth needs your attention', data: null });
  });

  it('an approval is pushed with Allow/Deny; Allow on the notification decides it once, as this session, and the CLI goes on', async () => {
    const subscription = currentSubscription();
    const taskId = await createTask('claude', 'Create approved.txt please');
    const push = await pushFor(subscription, (m) => m.type === 'approval' && m.taskId === taskId, 90_000);
    const pending = ApprovalList.parse(await ownerCall(stack.origin, stack.cookie, 'GET', '/api/approvals?status=pending')).approvals.find((a) => a.taskId === taskId);
    expect(pending).toBeDefined();
    expect(push.json).toMatchObject({ type: 'approval', approvalId: pending?.id, taskId, inputHash: pending?.inputHash, deadlineAt: pending?.deadlineAt, text: 'touch approved.txt' });
    const tag = messageOf(push)?.tag ?? '';

    await deliver(push);
    const shown = await notification(tag);
    expect(shown).toMatchObject({ title: '⏸ Approval needed: touch approved.txt', icon: `${stack.origin}/icons/status-waiting.png`, requireInteraction: true });
    expect(shown.actions).toEqual([expect.objectContaining({ action: 'allow', title: 'Allow' }), expect.objectContaining({ action: 'deny', title: 'Deny' })]);
    expect(existsSync(join(workspace, 'approved.txt'))).toBe(false); // nothing ran before the tap

    const approvalRow = () =>
      withD1(stack.worker, (d1) => ApprovalRow.parse(d1.prepare('SELECT status, decided_by, decided_at FROM approvals WHERE id = ?').get(pending?.id)));
    const decisions = () =>
      withD1(stack.worker, (d1) => Count.parse(d1.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'approval-decided' AND subject = ?").get(pending?.id)));

    await tap(tag, 'allow');
    await waitFor('the approval to be allowed in D1', async () => (await approvalRow()).status === 'allowed', 15_000);
    const decided = await approvalRow();
    expect(decided.decided_by).toBe(`session:${sessionId}`);
    expect((await notification(tag, (n) => n.title === 'Allowed')).actions).toEqual([]);
    expect(decisionPosts).toHaveLength(1);

    // A second tap (the confirmation keeps the approval as its data): one more POST, answered 409, nothing decided twice.
    await tap(tag, 'allow');
    await notification(tag, (n) => n.title === 'Already allowed');
    expect(decisionPosts).toHaveLength(2);
    expect(await approvalRow()).toEqual(decided);
    expect((await decisions()).n).toBe(1);

    const ended = await waitFor('the task to succeed', async () => {
      const task = await stack.fetchTask(taskId);
      return task.status === 'succeeded' && task;
    }, 90_000);
    expect(existsSync(join(workspace, 'approved.txt'))).toBe(true);
    expect(ended.status).toBe('succeeded');
  });

  it('an event unticked in Settings is no longer pushed; the others still are', async () => {
    const subscription = currentSubscription();
    await page.goto(`${stack.origin}/settings`);
    await page.locator('#push-status[data-state="on"]').waitFor();
    await page.getByRole('checkbox', { name: 'A task succeeds' }).tap();
    await page.locator('#push-result', { hasText: 'Saved.' }).waitFor();
    expect(JSON.parse((await subscriptionRows())[0]?.events ?? '[]')).toEqual(ALL_PUSH_EVENTS.filter((e) => e !== 'task-succeeded'));

    const quiet = await createTask('shell', 'echo quiet');
    await waitFor('the quiet task to succeed', async () => (await stack.fetchTask(quiet)).status === 'succeeded', 60_000);
    const failing = await createTask('shell', 'echo failing; exit 3');
    const push = await pushFor(subscription, (m) => m.type === 'task' && m.taskId === failing);
    expect(push.json).toMatchObject({ status: 'failed' });
    // The failing task ended after the quiet one: had the quiet one been pushed, it would be here by now.
    expect(pushService.messages().filter((m) => { const message = messageOf(m); return message !== null && 'taskId' in message && message.taskId === quiet; })).toEqual([]);
  });

  it('a 410 from the push service deletes the subscription, and Settings shows notifications off after a reload', async () => {
    const subscription = currentSubscription();
    pushService.respond(subscription.id, 410);
    const taskId = await createTask('shell', 'exit 4');
    await pushService.waitForAttempt((a) => a.subscriptionId === subscription.id && a.status === 410, 60_000);
    await waitFor('the subscription row to be deleted', async () => (await subscriptionRows()).length === 0, 15_000);
    expect((await stack.fetchTask(taskId)).status).toBe('failed');

    await page.reload();
    await page.locator('#push-status[data-state="off"]').waitFor();
    expect(await page.getByRole('button', { name: 'Turn on notifications' }).isVisible()).toBe(true);
  });

  it('Turn on again makes a fresh subscription; Turn off deletes it and drops the browser’s', async () => {
    await page.getByRole('button', { name: 'Turn on notifications' }).tap();
    await page.locator('#push-status[data-state="on"]').waitFor();
    const fresh = stub.current();
    expect(stub.minted()).toHaveLength(2);
    expect((await subscriptionRows()).map((r) => r.endpoint)).toEqual([fresh?.endpoint]);

    await page.getByRole('button', { name: 'Turn off notifications' }).tap();
    await page.locator('#push-status[data-state="off"]').waitFor();
    expect(await subscriptionRows()).toEqual([]);
    expect(stub.current()).toBeNull();
  });
});
