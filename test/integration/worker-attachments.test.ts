// Image attachments in the Worker against real workerd + real D1 (migrations applied): upload checks (size, type by
// the bytes' signature, strict base64 and body), owner scoping, binding to exactly one task in the task's own batch,
// the agent's download only while it holds the task, receipt dropping the bytes, and the cron's pruning.
import { hash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentView, MAX_ATTACHMENT_BYTES, TaskView, UNBOUND_ATTACHMENT_TTL_MS } from '../../protocol/index.ts';
import { auditOf } from '../support/passkeys.ts';
import { signIn, withD1, type RunningWorker } from '../support/worker.ts';
import { expectProblem } from '../support/worker-http.ts';
import { bearer, startRecordedWorker, twoOwners, type Agent, type RecordedWorker } from '../support/worker-owners.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** The start of a JPEG (SOI + APP0): what the signature check reads. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

/** A distinct valid PNG each call (random bytes after the image; the signature is what is checked). */
const png = () => Buffer.concat([PNG, randomBytes(16)]);

type Row = { id: string; task_id: string | null; position: number | null; data: Buffer | null; received_at: number | null };

describe('Worker attachments', () => {
  let world: RecordedWorker;
  let worker: RunningWorker;
  let api: RecordedWorker['api'];
  let alice: string;
  let bob: string;
  let aliceId: string;
  let agentA: Agent;
  let agentA2: Agent;
  let agentB: Agent;

  const rows = (): Promise<Row[]> => withD1(worker, (d1) => d1.prepare('SELECT id, task_id, position, data, received_at FROM attachments').all() as Row[]);
  const row = async (id: string): Promise<Row | undefined> => (await rows()).find((r) => r.id === id);
  const taskCount = (): Promise<number> => withD1(worker, (d1) => (d1.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n);

  const upload = (bytes: Uint8Array, mediaType = 'image/png', auth = alice, name = 'photo.png') =>
    api.post('/api/attachments', { name, mediaType, data: Buffer.from(bytes).toString('base64') }, auth);
  const uploaded = async (bytes: Uint8Array = png(), auth = alice): Promise<AttachmentView> => {
    const res = await upload(bytes, 'image/png', auth);
    expect(res.status).toBe(201);
    return AttachmentView.parse(await res.json());
  };
  const createTask = (attachmentIds: string[], auth = alice) =>
    api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: 'ls', attachmentIds }, auth);
  const taskWith = async (attachmentIds: string[], auth = alice): Promise<TaskView> => {
    const res = await createTask(attachmentIds, auth);
    expect(res.status).toBe(201);
    return TaskView.parse(await res.json());
  };
  const claim = async (taskId: string, agent: Agent) => expect((await api.post(`/api/agent/tasks/${taskId}/claim`, undefined, bearer(agent))).status).toBe(200);
  const fetchBytes = (id: string, agent: Agent) => api.get(`/api/agent/attachments/${id}`, bearer(agent));
  const received = (id: string, agent: Agent) => api.post(`/api/agent/attachments/${id}/received`, undefined, bearer(agent));
  const cron = async () => expect((await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);

  beforeAll(async () => {
    world = await startRecordedWorker();
    ({ worker, api } = world);
    ({ alice, bob, aliceId, agentA, agentA2, agentB } = await twoOwners(worker, { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 8 }));
  });

  afterAll(async () => {
    await world?.stop();
  });

  describe('upload', () => {
    it('stores a checked image unbound and answers its envelope; the audit log records it', async () => {
      const bytes = png();
      const res = await upload(bytes, 'image/png', alice, 'screen shot.png');
      expect(res.status).toBe(201);
      const json = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(json)).not.toContain('data'); // the envelope only
      const view = AttachmentView.parse(json);
      expect(view).toMatchObject({ taskId: null, name: 'screen shot.png', mediaType: 'image/png', bytes: bytes.length, sha256: hash('sha256', bytes), receivedAt: null });
      const stored = await row(view.id);
      expect(Buffer.compare(stored?.data ?? Buffer.alloc(0), bytes)).toBe(0);
      expect(await auditOf(worker, aliceId)).toContainEqual(
        expect.objectContaining({ action: 'attachment-uploaded', subject: view.id, detail: { mediaType: 'image/png', bytes: bytes.length } }),
      );
    });

    it('refuses too big, mislabelled, non-image, malformed and non-strict bodies with 400 (413 past the body cap) and stores nothing', async () => {
      const before = (await rows()).length;
      const tooBig = Buffer.concat([PNG, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - PNG.length)]);
      const big = await expectProblem(await upload(tooBig), 400, 'invalid-request');
      expect(big.invalidParams?.map((p) => p.path)).toEqual(['data']);
      const mislabelled = await expectProblem(await upload(JPEG, 'image/png'), 400, 'invalid-request');
      expect(mislabelled.detail).toBe('the file is labelled PNG but its bytes are a JPEG image');
      const text = await expectProblem(await upload(Buffer.from('just some text, not an image'), 'image/jpeg'), 400, 'invalid-request');
      expect(text.detail).toMatch(/labelled JPEG but its bytes are not a PNG, JPEG, WebP or GIF image/);
      const unpadded = Buffer.from(png()).toString('base64').replace(/=+$/, '').slice(0, -1);
      expect((await expectProblem(await api.post('/api/attachments', { name: 'a.png', mediaType: 'image/png', data: unpadded }, alice), 400, 'invalid-request')).detail).toMatch(/base64/);
      const notBase64 = await expectProblem(await api.post('/api/attachments', { name: 'a.png', mediaType: 'image/png', data: 'not base64!' }, alice), 400, 'invalid-request');
      expect(notBase64.invalidParams?.map((p) => p.path)).toEqual(['data']);
      const extra = { name: 'a.png', mediaType: 'image/png', data: Buffer.from(png()).toString('base64'), taskId: UNKNOWN_ID };
      expect((await expectProblem(await api.post('/api/attachments', extra, alice), 400, 'invalid-request')).invalidParams).toBeDefined();
      const badName = { name: '../../etc/passwd', mediaType: 'image/png', data: Buffer.from(png()).toString('base64') };
      expect((await expectProblem(await api.post('/api/attachments', badName, alice), 400, 'invalid-request')).invalidParams?.map((p) => p.path)).toEqual(['name']);
      const svg = { name: 'a.svg', mediaType: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') };
      expect((await expectProblem(await api.post('/api/attachments', svg, alice), 400, 'invalid-request')).invalidParams?.map((p) => p.path)).toEqual(['mediaType']);
      const huge = await api.raw('/api/attachments', {
        auth: alice,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a.png', mediaType: 'image/png', data: 'A'.repeat(2_100_000) }),
      });
      expect((await expectProblem(huge, 413, 'payload-too-large')).detail).toMatch(/at most 1500000 bytes/);
      expect((await rows()).length).toBe(before);
    });

    it('needs a signed-in phone: no cookie or an agent bearer → 401', async () => {
      await expectProblem(await upload(png(), 'image/png', ''), 401, 'unauthenticated');
      await expectProblem(await upload(png(), 'image/png', bearer(agentA)), 401, 'unauthenticated');
      await expectProblem(await api.raw(`/api/attachments/${UNKNOWN_ID}`, { method: 'DELETE' }), 401, 'unauthenticated');
    });
  });

  describe('binding to a task', () => {
    it('binds images in the order named; the task, the claim and GET /api/tasks/:id carry their envelopes', async () => {
      const [first, second] = [await uploaded(), await uploaded()];
      const task = await taskWith([second!.id, first!.id]);
      expect(task.attachments?.map((a) => [a.id, a.taskId])).toEqual([[second!.id, task.id], [first!.id, task.id]]);
      const read = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json());
      expect(read.attachments?.map((a) => a.id)).toEqual([second!.id, first!.id]);
      expect(JSON.stringify(read)).not.toContain(Buffer.from(PNG).toString('base64').slice(0, 24));
      expect([(await row(second!.id))?.position, (await row(first!.id))?.position]).toEqual([0, 1]);
      const claimed = await api.post(`/api/agent/tasks/${task.id}/claim`, undefined, bearer(agentA));
      expect(claimed.status).toBe(200);
      const body = (await claimed.json()) as { task: unknown };
      expect(TaskView.parse(body.task).attachments?.map((a) => ({ id: a.id, sha256: a.sha256 }))).toEqual([
        { id: second!.id, sha256: second!.sha256 },
        { id: first!.id, sha256: first!.sha256 },
      ]);
      // A task without images has none listed.
      expect((await taskWith([])).attachments).toBeUndefined();
    });

    it('an image is bound to one task only: a second task naming it is refused (409) and not created', async () => {
      const image = await uploaded();
      await taskWith([image.id]);
      const tasks = await taskCount();
      expect((await expectProblem(await createTask([image.id]), 409, 'conflict')).detail).toMatch(/already on another task/);
      expect(await taskCount()).toBe(tasks);
    });

    it('two tasks racing for one image: exactly one is created', async () => {
      const image = await uploaded();
      const tasks = await taskCount();
      const answers = await Promise.all([createTask([image.id]), createTask([image.id]), createTask([image.id])]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(await taskCount()).toBe(tasks + 1);
      const winner = TaskView.parse(await answers.find((r) => r.status === 201)!.json());
      expect((await row(image.id))?.task_id).toBe(winner.id);
    });

    it('a task naming an unknown or another owner\'s image → 404, no task, and its other images stay free', async () => {
      const mine = await uploaded();
      const bobs = await uploaded(png(), bob);
      const tasks = await taskCount();
      await expectProblem(await createTask([mine.id, UNKNOWN_ID]), 404, 'not-found');
      await expectProblem(await createTask([mine.id, bobs.id]), 404, 'not-found');
      expect(await taskCount()).toBe(tasks);
      expect((await row(bobs.id))?.task_id).toBeNull();
      expect((await row(mine.id))?.task_id).toBeNull();
      expect((await taskWith([mine.id])).attachments?.map((a) => a.id)).toEqual([mine.id]);
    });

    it('another owner can neither bind, delete nor see an image: 404 exactly like an unknown one', async () => {
      const image = await uploaded();
      const tasks = await taskCount();
      const foreign = await expectProblem(await createTask([image.id], bob), 404, 'not-found');
      const unknown = await expectProblem(await createTask([UNKNOWN_ID], bob), 404, 'not-found');
      expect(foreign.detail).toBe(unknown.detail);
      expect(await taskCount()).toBe(tasks);
      await expectProblem(await api.raw(`/api/attachments/${image.id}`, { method: 'DELETE', auth: bob }), 404, 'not-found');
      expect((await row(image.id))?.task_id).toBeNull();
      const task = await taskWith([image.id]);
      const bobsView = await api.get(`/api/tasks/${task.id}`, bob);
      await expectProblem(bobsView, 404, 'not-found');
    });

    it('DELETE removes an unbound image (204) and refuses one on a task (409)', async () => {
      const loose = await uploaded();
      expect((await api.raw(`/api/attachments/${loose.id}`, { method: 'DELETE', auth: alice })).status).toBe(204);
      expect(await row(loose.id)).toBeUndefined();
      await expectProblem(await api.raw(`/api/attachments/${loose.id}`, { method: 'DELETE', auth: alice }), 404, 'not-found');
      const bound = await uploaded();
      await taskWith([bound.id]);
      await expectProblem(await api.raw(`/api/attachments/${bound.id}`, { method: 'DELETE', auth: alice }), 409, 'conflict');
    });
  });

  describe('the agent', () => {
    it('downloads the bytes only while it holds the active task; receipt drops them (then 410), idempotently', async () => {
      const bytes = png();
      const image = await uploaded(bytes);
      const task = await taskWith([image.id]);
      await expectProblem(await fetchBytes(image.id, agentA), 404, 'not-found'); // queued: nobody holds it yet
      await expectProblem(await received(image.id, agentA), 404, 'not-found');
      await claim(task.id, agentA);
      await expectProblem(await fetchBytes(image.id, agentA2), 404, 'not-found'); // the owner's other agent
      await expectProblem(await fetchBytes(image.id, agentB), 404, 'not-found'); // another owner's agent
      await expectProblem(await received(image.id, agentA2), 404, 'not-found');
      const res = await fetchBytes(image.id, agentA);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), bytes)).toBe(0);
      await expectProblem(await api.get(`/api/agent/attachments/${image.id}`, alice), 401, 'unauthenticated'); // a phone cookie is not an agent

      const first = await received(image.id, agentA);
      expect(first.status).toBe(200);
      const view = AttachmentView.parse(await first.json());
      expect(view.receivedAt).toEqual(expect.any(Number));
      expect(await row(image.id)).toMatchObject({ data: null, received_at: view.receivedAt });
      const again = AttachmentView.parse(await (await received(image.id, agentA)).json());
      expect(again.receivedAt).toBe(view.receivedAt);
      expect((await expectProblem(await fetchBytes(image.id, agentA), 410, 'not-found')).detail).toMatch(/already received/);
      const phoneView = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json());
      expect(phoneView.attachments?.[0]?.receivedAt).toBe(view.receivedAt);
    });

    it('an ended task\'s images cannot be fetched (404)', async () => {
      const image = await uploaded();
      const task = await taskWith([image.id]);
      await claim(task.id, agentA);
      const finish = { status: 'succeeded', exitCode: 0, error: null, finalScreen: [] };
      expect((await api.post(`/api/agent/tasks/${task.id}/finish`, finish, bearer(agentA))).status).toBe(200);
      await expectProblem(await fetchBytes(image.id, agentA), 404, 'not-found');
    });
  });

  describe('the cron', () => {
    it('deletes unbound images past the TTL, drops the bytes of ended tasks\' images, and keeps the rest', async () => {
      const [stale, fresh, ended, running] = [await uploaded(), await uploaded(), await uploaded(), await uploaded()];
      const cancelled = await taskWith([ended.id]);
      expect((await api.post(`/api/tasks/${cancelled.id}/cancel`, undefined, alice)).status).toBe(200);
      const active = await taskWith([running.id]);
      await claim(active.id, agentA);
      // Binding an expired image is refused like an unknown one.
      await withD1(worker, (d1) => d1.prepare('UPDATE attachments SET created_at = ? WHERE id = ?').run(Date.now() - UNBOUND_ATTACHMENT_TTL_MS - 1_000, stale.id));
      await expectProblem(await createTask([stale.id]), 404, 'not-found');
      await cron();
      expect(await row(stale.id)).toBeUndefined();
      expect(await row(fresh.id)).toMatchObject({ task_id: null });
      expect((await row(fresh.id))?.data).not.toBeNull();
      expect(await row(ended.id)).toMatchObject({ task_id: cancelled.id, data: null });
      expect((await row(running.id))?.data).not.toBeNull();
      expect((await fetchBytes(running.id, agentA)).status).toBe(200);
    });
  });

  it('uploads are rate-limited per owner (60 per 10 minutes): the 61st → 429 with Retry-After, nothing stored', async () => {
    const carol = await signIn(worker.url, worker.setupSecret, 'carol');
    const tiny = Buffer.from(PNG).toString('base64');
    const answers: number[] = [];
    // Each one is removed again, so the cap on unbound images (8) never answers before the rate limit does.
    for (let i = 0; i < 60; i++) {
      const res = await api.post('/api/attachments', { name: 'a.png', mediaType: 'image/png', data: tiny }, carol);
      answers.push(res.status);
      if (res.status === 201) expect((await api.raw(`/api/attachments/${AttachmentView.parse(await res.json()).id}`, { method: 'DELETE', auth: carol })).status).toBe(204);
    }
    expect(answers.every((s) => s === 201)).toBe(true);
    const before = (await rows()).length;
    const refused = await api.post('/api/attachments', { name: 'a.png', mediaType: 'image/png', data: tiny }, carol);
    await expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await rows()).length).toBe(before);
  });
});
