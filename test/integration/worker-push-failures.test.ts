// When the real Worker gives up on a subscription: failed sends (5xx) delete it only after 5 in a row AND a day
// without a success (a burst during a push-service outage keeps it); a 429 (throttling) is not a failure at all.
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushService } from '../support/push-service.ts';
import { claimedTask, finish, pushApi, pushOwner, runTask, startPushWorld, type PushOwner, type PushWorld } from '../support/push-world.ts';
import type { RunningWorker } from '../support/worker.ts';
import { eventually } from '../support/worker-http.ts';

const DAY_MS = 24 * 60 * 60_000;

let world: PushWorld;
let worker: RunningWorker;
let push: PushService;
let d1: Database.Database;

beforeAll(async () => {
  world = await startPushWorld();
  ({ worker, push, d1 } = world);
});

afterAll(async () => {
  await world?.stop();
});

/** The Worker's row for a subscription (undefined once deleted). */
const row = (id: string) => d1.prepare('select failures, last_sent_at as lastSentAt from push_subscriptions where id = ?').get(id) as { failures: number; lastSentAt: number | null } | undefined;
/** Make the row look a day and a minute old: created then, and its last success (if any) then too. */
function ageRow(id: string): void {
  const then = Date.now() - DAY_MS - 60_000;
  d1.prepare('update push_subscriptions set created_at = @then, last_sent_at = case when last_sent_at is null then null else @then end where id = @id').run({ then, id });
}
const failedAttempts = (owner: PushOwner) => push.attempts().filter((a) => a.subscriptionId === owner.sub?.id && a.status === 500).length;

/** `n` tasks claimed first (at most the agent's 4 at a time), then finished together: `n` pushes sent in parallel. */
async function burst(owner: PushOwner, n: number): Promise<void> {
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(await claimedTask(worker, owner, `burst ${i}`));
  await Promise.all(tasks.map(async (task) => expect((await finish(worker, owner, task.id, 'failed')).status).toBe(200)));
}

describe('failed sends', () => {
  it('a burst of 5xx right after a success keeps the subscription; once nothing was delivered for a day, the next failure deletes it', async () => {
    const owner = await pushOwner(worker, push, 'fail-ann');
    const id = owner.rowId!;
    const ok = await runTask(worker, owner, 'succeeded');
    await push.waitForMessage((m) => m.subscriptionId === owner.sub!.id && (m.json as { taskId?: string }).taskId === ok.id);
    await eventually(() => expect(row(id)?.lastSentAt).not.toBeNull());
    push.respond(owner.sub!.id, 500);
    await burst(owner, 4);
    await burst(owner, 2);
    await eventually(() => expect(failedAttempts(owner)).toBe(6));
    await eventually(() => expect(row(id)?.failures).toBe(6));
    expect(row(id)).toBeDefined();

    ageRow(id);
    await runTask(worker, owner, 'failed');
    await eventually(() => expect(failedAttempts(owner)).toBe(7));
    await eventually(() => expect(row(id)).toBeUndefined());
  });

  it('a subscription never delivered to is judged by its age: kept while new, deleted at the cap once a day old', async () => {
    const owner = await pushOwner(worker, push, 'fail-bo');
    const id = owner.rowId!;
    push.respond(owner.sub!.id, 500);
    await burst(owner, 4);
    await burst(owner, 1);
    await eventually(() => expect(row(id)).toEqual({ failures: 5, lastSentAt: null }));
    ageRow(id);
    await runTask(worker, owner, 'failed');
    await eventually(() => expect(row(id)).toBeUndefined());
  });
});

describe('429 from the push service', () => {
  /** A push service that answers every POST with `status` (429 until told otherwise) and counts them. */
  let server: Server;
  let status = 429;
  const answered: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        answered.push(status);
        res.writeHead(status, status === 429 ? { 'retry-after': '30' } : {}).end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  });

  afterAll(async () => {
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it('is not counted as a failure: six of them leave a day-old subscription in place with no failures', async () => {
    const owner = await pushOwner(worker, push, 'fail-cy', { subscribe: false });
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const port = (server.address() as AddressInfo).port;
    const sub = {
      id: randomUUID(),
      endpoint: `http://127.0.0.1:${port}/push/${randomUUID()}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    const id = (await pushApi(worker).subscribe(owner.cookie, sub)).id;
    ageRow(id);
    for (let n = 1; n <= 6; n++) {
      await runTask(worker, owner, 'failed');
      await eventually(() => expect(answered).toHaveLength(n));
    }
    // One 500 now: had the 429s counted, the row would be gone already; as it is, this is its first failure.
    status = 500;
    await runTask(worker, owner, 'failed');
    await eventually(() => expect(answered).toEqual([429, 429, 429, 429, 429, 429, 500]));
    await eventually(() => expect(row(id)).toEqual({ failures: 1, lastSentAt: null }));
  });
});
