// The cap on images an owner holds unbound (uploaded, not yet on a task), against the real Worker and D1: at most 8
// and 12 MB together; past either an upload is refused with 409 and nothing is stored; bound, removed and expired
// images free room; parallel uploads cannot pass the cap together.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachmentView,
  MAX_UNBOUND_ATTACHMENT_BYTES,
  MAX_UNBOUND_ATTACHMENTS,
  TaskView,
  UNBOUND_ATTACHMENT_TTL_MS,
} from '../../protocol/index.ts';
import { withD1, type RunningWorker } from '../support/worker.ts';
import { expectProblem } from '../support/worker-http.ts';
import { capableAgent, signedInOwner, startRecordedWorker, type RecordedWorker } from '../support/worker-owners.ts';

/** A real 1×1 PNG, made distinct per call by random bytes after the image (the signature is what is checked). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const png = () => Buffer.concat([PNG, randomBytes(16)]);

let world: RecordedWorker;
let worker: RunningWorker;
let api: RecordedWorker['api'];

beforeAll(async () => {
  world = await startRecordedWorker();
  ({ worker, api } = world);
});

afterAll(async () => {
  await world?.stop();
});

/** A signed-in owner with an agent that can run `shell` in `repo` (so tasks can be queued). */
async function owner(name: string): Promise<{ cookie: string; ownerId: string }> {
  const signedIn = await signedInOwner(worker, name);
  await capableAgent(worker, signedIn.cookie, `${name}-agent`, { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 4 });
  return signedIn;
}

const upload = (cookie: string) => api.post('/api/attachments', { name: 'photo.png', mediaType: 'image/png', data: png().toString('base64') }, cookie);
async function uploaded(cookie: string): Promise<AttachmentView> {
  const res = await upload(cookie);
  expect(res.status, await res.clone().text()).toBe(201);
  return AttachmentView.parse(await res.json());
}
const unboundCount = (ownerId: string) =>
  withD1(worker, (d1) => (d1.prepare('SELECT count(*) AS n FROM attachments WHERE owner_id = ? AND task_id IS NULL').get(ownerId) as { n: number }).n);

async function refused(cookie: string): Promise<void> {
  const problem = await expectProblem(await upload(cookie), 409, 'conflict');
  expect(problem.detail).toMatch(/not yet on a task: send them with a task or remove some first/);
}

describe('unbound images per owner', () => {
  it(`accepts ${MAX_UNBOUND_ATTACHMENTS}, refuses the next (409, nothing stored), and makes room when images are bound, removed or expire`, async () => {
    const { cookie, ownerId } = await owner('cap-ann');
    const images: AttachmentView[] = [];
    for (let i = 0; i < MAX_UNBOUND_ATTACHMENTS; i++) images.push(await uploaded(cookie));
    await refused(cookie);
    expect(await unboundCount(ownerId)).toBe(MAX_UNBOUND_ATTACHMENTS);

    // Removed: one more fits, then the cap holds again.
    expect((await api.raw(`/api/attachments/${images[0]!.id}`, { method: 'DELETE', auth: cookie })).status).toBe(204);
    await uploaded(cookie);
    await refused(cookie);

    // Bound to a task: no longer held unbound.
    const task = await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: 'ls', attachmentIds: [images[1]!.id, images[2]!.id] }, cookie);
    expect(task.status).toBe(201);
    expect(TaskView.parse(await task.json()).attachments).toHaveLength(2);
    await uploaded(cookie);
    await uploaded(cookie);
    await refused(cookie);

    // Expired (past the hour; the cron deletes them): they do not count.
    await withD1(worker, (d1) => d1.prepare('UPDATE attachments SET created_at = ? WHERE id = ?').run(Date.now() - UNBOUND_ATTACHMENT_TTL_MS - 1_000, images[3]!.id));
    await uploaded(cookie);
    await refused(cookie);
  });

  it(`refuses an upload that would bring the unbound total over ${MAX_UNBOUND_ATTACHMENT_BYTES} bytes`, async () => {
    const { cookie, ownerId } = await owner('cap-bo');
    const big = await uploaded(cookie);
    // Stand in for large photos already held (the sum of the stored sizes is what counts).
    await withD1(worker, (d1) => d1.prepare('UPDATE attachments SET bytes = ? WHERE id = ?').run(MAX_UNBOUND_ATTACHMENT_BYTES - PNG.length, big.id));
    await refused(cookie);
    expect(await unboundCount(ownerId)).toBe(1);
    await withD1(worker, (d1) => d1.prepare('UPDATE attachments SET bytes = ? WHERE id = ?').run(MAX_UNBOUND_ATTACHMENT_BYTES - PNG.length - 16, big.id));
    await uploaded(cookie);
  });

  it('is per owner, and parallel uploads cannot pass it together', async () => {
    const ann = await owner('cap-cy');
    const bob = await owner('cap-dee');
    for (let i = 0; i < MAX_UNBOUND_ATTACHMENTS - 3; i++) await uploaded(ann.cookie);
    const answers = await Promise.all(Array.from({ length: 8 }, () => upload(ann.cookie)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    await Promise.all(answers.map((r) => r.body?.cancel()));
    expect(await unboundCount(ann.ownerId)).toBe(MAX_UNBOUND_ATTACHMENTS);
    await uploaded(bob.cookie);
  });
});
