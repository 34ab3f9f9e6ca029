// Follow-up messages in the Worker against real workerd + real D1 (migrations applied): an agent keeps a succeeded
// task's window open (finish keepOpenMs), the phone sends a follow-up (idempotent on its id, accepted exactly once per
// open window), the agent lists and delivers it once, and either side closes the window. A recorder stands in for the room.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FollowUpList, FollowUpView, HeartbeatResponse, TaskList, TaskView, MAX_FOLLOW_UP_BYTES } from '../../protocol/index.ts';
import { withD1, type RunningWorker } from '../support/worker.ts';
import { eventually, expectProblem } from '../support/worker-http.ts';
import { bearer, capableAgent, signedInOwner, startRecordedWorker, twoOwners, type Agent, type RecordedWorker } from '../support/worker-owners.ts';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const MINUTE = 60_000;

type Api = RecordedWorker['api'];
const message = (text: string) => ({ id: randomUUID(), text });

/** The steps of one owner and one agent driving a task over HTTP. */
function taskSteps(api: Api, owner: () => string, agent: () => Agent) {
  const steps = {
    /** A claude task claimed by `agent`, still running. */
    running: async (): Promise<string> => {
      const created = await api.post('/api/tasks', { workspace: 'repo', backend: 'claude', prompt: 'fix the tests' }, owner());
      expect(created.status).toBe(201);
      const { id } = TaskView.parse(await created.json());
      expect((await api.post(`/api/agent/tasks/${id}/claim`, undefined, bearer(agent()))).status).toBe(200);
      return id;
    },
    finish: (id: string, body: Record<string, unknown> = {}) =>
      api.post(`/api/agent/tasks/${id}/finish`, { status: 'succeeded', exitCode: null, error: null, finalScreen: ['> done'], ...body }, bearer(agent())),
    /** A succeeded task whose window the agent keeps open for `keepOpenMs`. */
    open: async (keepOpenMs = 10 * MINUTE): Promise<string> => {
      const id = await steps.running();
      expect((await steps.finish(id, { keepOpenMs })).status).toBe(200);
      return id;
    },
    followUp: (id: string, body: unknown, auth: string = owner()) => api.post(`/api/tasks/${id}/follow-ups`, body, auth),
    view: async (id: string): Promise<TaskView> => TaskView.parse(await (await api.get(`/api/tasks/${id}`, owner())).json()),
    pending: async (a: Agent = agent()) => FollowUpList.parse(await (await api.get('/api/agent/follow-ups', bearer(a))).json()).followUps,
    deliver: (followUpId: string, a: Agent = agent()) => api.post(`/api/agent/follow-ups/${followUpId}/deliver`, undefined, bearer(a)),
    agentClose: (id: string, a: Agent = agent()) => api.post(`/api/agent/tasks/${id}/close`, undefined, bearer(a)),
    phoneClose: (id: string, auth: string = owner()) => api.post(`/api/tasks/${id}/close`, undefined, auth),
  };
  return steps;
}

/** Rows of the Worker's D1 (read through the SQLite file). */
async function d1Rows<T>(worker: RunningWorker, sql: string, ...params: unknown[]): Promise<T[]> {
  return withD1(worker, (d1) => d1.prepare(sql).all(...params) as T[]);
}

describe('Worker follow-ups', () => {
  let world: RecordedWorker;
  let worker: RunningWorker;
  let recorder: RecordedWorker['recorder'];
  let api: Api;
  let alice: string;
  let bob: string;
  let agentA: Agent;
  let agentA2: Agent;
  let agentB: Agent;
  let s: ReturnType<typeof taskSteps>;
  let bobSteps: ReturnType<typeof taskSteps>;
  const taskRow = async (id: string) =>
    (await d1Rows<{ status: string; lease_expires_at: number | null; agent_finished_at: number | null; open_until: number | null }>(
      worker, 'SELECT status, lease_expires_at, agent_finished_at, open_until FROM tasks WHERE id = ?', id))[0]!;
  const followUpRows = (taskId: string) => d1Rows<{ id: string; status: string }>(worker, 'SELECT id, status FROM follow_ups WHERE task_id = ?', taskId);

  beforeAll(async () => {
    world = await startRecordedWorker();
    ({ worker, recorder, api } = world);
    ({ alice, bob, agentA, agentA2, agentB } = await twoOwners(worker, { workspaces: ['repo'], backends: ['shell', 'claude'], maxConcurrent: 8 }));
    s = taskSteps(api, () => alice, () => agentA);
    bobSteps = taskSteps(api, () => bob, () => agentB);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('runs a conversation: open window → follow-up → running with a lease → listed → delivered once → finished again', async () => {
    const id = await s.running();
    const before = Date.now();
    const finished = TaskView.parse(await (await s.finish(id, { keepOpenMs: 5 * MINUTE })).json());
    expect(finished.status).toBe('succeeded');
    expect(finished.openUntil).toBeGreaterThanOrEqual(before + 5 * MINUTE - 1_000);
    expect(finished.openUntil).toBeLessThanOrEqual(Date.now() + 5 * MINUTE + 1_000);
    expect(await s.view(id)).toMatchObject({ status: 'succeeded', openUntil: finished.openUntil, followUps: [] });
    const listed = TaskList.parse(await (await api.get('/api/tasks', alice)).json()).tasks.find((t) => t.id === id);
    expect(listed?.openUntil).toBe(finished.openUntil);
    expect(listed).not.toHaveProperty('followUps');

    const body = message('now run the linter too');
    const res = await s.followUp(id, body);
    expect(res.status).toBe(201);
    const sent = FollowUpView.parse(await res.json());
    expect(sent).toMatchObject({ id: body.id, taskId: id, status: 'pending', text: body.text, deliveredAt: null });
    const reopened = await s.view(id);
    expect(reopened).toMatchObject({ status: 'running', openUntil: null, endedAt: null, exitCode: null, error: null, startedAt: finished.startedAt, finalScreen: ['> done'] });
    expect(reopened.followUps).toEqual([sent]);
    const row = await taskRow(id);
    expect(row.agent_finished_at).toBeNull();
    expect(row.lease_expires_at).toBeGreaterThan(Date.now());
    // One `running` from the claim, one from the follow-up (it nudges the agent).
    const runningNotes = () => recorder.bodies().filter((b) => b.type === 'task-changed' && b.taskId === id && b.status === 'running');
    await eventually(() => expect(runningNotes()).toHaveLength(2));
    expect(HeartbeatResponse.parse(await (await api.post(`/api/agent/tasks/${id}/heartbeat`, undefined, bearer(agentA))).json()).status).toBe('running');

    expect(await s.pending()).toContainEqual(sent);
    expect((await s.pending(agentA2)).map((f) => f.id)).not.toContain(body.id);
    expect((await bobSteps.pending()).map((f) => f.id)).not.toContain(body.id);
    const delivered = await s.deliver(body.id);
    expect(delivered.status).toBe(200);
    const took = FollowUpView.parse(await delivered.json());
    expect(took).toMatchObject({ id: body.id, status: 'delivered' });
    expect(took.deliveredAt).toBeGreaterThanOrEqual(sent.createdAt);
    expect((await expectProblem(await s.deliver(body.id), 409, 'conflict')).detail).toMatch(/already delivered/);
    expect((await s.pending()).map((f) => f.id)).not.toContain(body.id);

    const again = TaskView.parse(await (await s.finish(id, { keepOpenMs: MINUTE, finalScreen: ['> linted'] })).json());
    expect(again).toMatchObject({ status: 'succeeded', finalScreen: ['> linted'] });
    expect(again.openUntil).toBeGreaterThan(Date.now());
    await expectProblem(await s.finish(id), 409, 'conflict');
    // A second turn in the same window: the follow-ups read oldest first.
    const second = message('and commit');
    expect((await s.followUp(id, second)).status).toBe(201);
    expect((await s.view(id)).followUps?.map((f) => [f.id, f.status])).toEqual([[body.id, 'delivered'], [second.id, 'pending']]);
  });

  it('answers a retried follow-up with the stored row and changes nothing; the id with other text is a 409', async () => {
    const id = await s.open();
    const body = message('also update the changelog');
    const first = FollowUpView.parse(await (await s.followUp(id, body)).json());
    const leased = await taskRow(id);
    await sleep(20);
    const retry = await s.followUp(id, body);
    expect(retry.status).toBe(200);
    expect(FollowUpView.parse(await retry.json())).toEqual(first);
    expect(await followUpRows(id)).toEqual([{ id: body.id, status: 'pending' }]);
    expect(await taskRow(id)).toEqual(leased);
    expect((await expectProblem(await s.followUp(id, { ...body, text: 'something else' }), 409, 'conflict')).detail).toMatch(/already used/);
    // The id is taken for any other task, the owner's or another owner's.
    expect((await expectProblem(await s.followUp(await s.open(), body), 409, 'conflict')).detail).toMatch(/already used/);
    await expectProblem(await bobSteps.followUp(await bobSteps.open(), body), 409, 'conflict');
    // A retry after the turn ended and the window reopened still changes nothing.
    expect((await s.deliver(body.id)).status).toBe(200);
    expect((await s.finish(id, { keepOpenMs: MINUTE })).status).toBe(200);
    expect((await s.followUp(id, body)).status).toBe(200);
    expect((await s.view(id)).status).toBe('succeeded');
    expect(await followUpRows(id)).toEqual([{ id: body.id, status: 'delivered' }]);
  });

  it('refuses bad bodies (400, 413, 415) and writes nothing; a text of 16 KiB that doubles when escaped fits', async () => {
    const id = await s.open();
    const bad: [unknown, string][] = [
      [{ id: randomUUID(), text: '' }, 'text'],
      [{ id: randomUUID(), text: '  \n\t ' }, 'text'],
      [{ id: randomUUID(), text: 'beep\u0007' }, 'text'],
      [{ id: randomUUID(), text: 'x'.repeat(MAX_FOLLOW_UP_BYTES + 1) }, 'text'],
      [{ id: randomUUID(), text: 'é'.repeat(MAX_FOLLOW_UP_BYTES / 2 + 1) }, 'text'],
      [{ id: 'not-a-uuid', text: 'hi' }, 'id'],
      [{ text: 'hi' }, 'id'],
      [{ id: randomUUID(), text: 'hi', urgent: true }, ''],
    ];
    for (const [body, path] of bad) {
      const problem = await expectProblem(await s.followUp(id, body), 400, 'invalid-request');
      if (path) expect(problem.invalidParams?.map((p) => p.path)).toContain(path);
    }
    await expectProblem(await api.raw(`/api/tasks/${id}/follow-ups`, { auth: alice, body: '{"id":', headers: { 'content-type': 'application/json' } }), 400, 'invalid-request');
    await expectProblem(await api.raw(`/api/tasks/${id}/follow-ups`, { auth: alice, body: 'hi', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported-media-type');
    const huge = JSON.stringify({ id: randomUUID(), text: 'x'.repeat(200 * 1024) });
    expect((await expectProblem(await api.raw(`/api/tasks/${id}/follow-ups`, { auth: alice, body: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload-too-large')).detail).toMatch(/16 KiB/);
    expect(await followUpRows(id)).toEqual([]);
    expect(await s.view(id)).toMatchObject({ status: 'succeeded', openUntil: expect.any(Number) });
    expect((await s.followUp(id, message('"'.repeat(MAX_FOLLOW_UP_BYTES)))).status).toBe(201);
  });

  it('requires a phone session for the phone routes and an agent token for the agent routes (401)', async () => {
    const id = await s.open();
    await expectProblem(await s.followUp(id, message('hi'), ''), 401, 'unauthenticated');
    await expectProblem(await s.followUp(id, message('hi'), bearer(agentA)), 401, 'unauthenticated');
    await expectProblem(await api.post(`/api/tasks/${id}/close`), 401, 'unauthenticated');
    await expectProblem(await api.get('/api/agent/follow-ups'), 401, 'unauthenticated');
    await expectProblem(await api.get('/api/agent/follow-ups', alice), 401, 'unauthenticated');
    await expectProblem(await api.post(`/api/agent/follow-ups/${UNKNOWN_ID}/deliver`), 401, 'unauthenticated');
    await expectProblem(await api.post(`/api/agent/tasks/${id}/close`, undefined, alice), 401, 'unauthenticated');
    expect(await s.view(id)).toMatchObject({ status: 'succeeded', followUps: [] });
  });

  it('answers another owner, another agent of the owner and unknown ids like unknown ones (404)', async () => {
    const id = await s.open();
    await expectProblem(await s.followUp(id, message('hi'), bob), 404, 'not-found');
    await expectProblem(await s.phoneClose(id, bob), 404, 'not-found');
    await expectProblem(await s.followUp(UNKNOWN_ID, message('hi')), 404, 'not-found');
    await expectProblem(await s.followUp('not-a-uuid', message('hi')), 404, 'not-found');
    await expectProblem(await s.phoneClose(UNKNOWN_ID), 404, 'not-found');
    await expectProblem(await s.agentClose(id, agentB), 404, 'not-found');
    await expectProblem(await s.agentClose(id, agentA2), 404, 'not-found');
    const body = message('carry on');
    expect((await s.followUp(id, body)).status).toBe(201);
    expect((await bobSteps.pending()).map((f) => f.id)).not.toContain(body.id);
    await expectProblem(await s.deliver(body.id, agentB), 404, 'not-found');
    await expectProblem(await s.deliver(body.id, agentA2), 404, 'not-found');
    await expectProblem(await s.deliver(UNKNOWN_ID), 404, 'not-found');
    await expectProblem(await s.deliver('nope'), 404, 'not-found');
    expect(await followUpRows(id)).toEqual([{ id: body.id, status: 'pending' }]);
    expect((await s.deliver(body.id)).status).toBe(200);
  });

  it('is a 409 saying why when the window is not open: queued, running, failed, closed, time ran out', async () => {
    const queued = TaskView.parse(await (await api.post('/api/tasks', { workspace: 'repo', backend: 'claude', prompt: 'later' }, alice)).json());
    expect((await expectProblem(await s.followUp(queued.id, message('hi')), 409, 'conflict')).detail).toMatch(/not started/);
    const running = await s.running();
    expect((await expectProblem(await s.followUp(running, message('hi')), 409, 'conflict')).detail).toMatch(/is running/);
    const failed = await s.running();
    expect((await s.finish(failed, { status: 'failed', exitCode: 1, error: { code: 'cli-exit', message: 'exit 1' } })).status).toBe(200);
    expect((await expectProblem(await s.followUp(failed, message('hi')), 409, 'conflict')).detail).toMatch(/ended failed/);
    const closed = await s.running();
    const finished = TaskView.parse(await (await s.finish(closed, { keepOpenMs: 0 })).json());
    expect(finished.openUntil).toBeNull();
    expect((await expectProblem(await s.followUp(closed, message('hi')), 409, 'conflict')).detail).toMatch(/window is closed/);
    const brief = await s.open(300);
    expect((await s.view(brief)).openUntil).not.toBeNull();
    await sleep(500);
    expect((await s.view(brief)).openUntil).toBeNull();
    expect((await expectProblem(await s.followUp(brief, message('hi')), 409, 'conflict')).detail).toMatch(/ran out/);
    for (const id of [queued.id, running, failed, closed, brief]) expect(await followUpRows(id)).toEqual([]);
    expect((await taskRow(running)).status).toBe('running');
    expect((await taskRow(brief)).status).toBe('succeeded');
  });

  it('keeps a window open only for a succeeded turn (keepOpenMs with another status is a 400)', async () => {
    const id = await s.running();
    const problem = await expectProblem(await s.finish(id, { status: 'failed', exitCode: 1, keepOpenMs: MINUTE }), 400, 'invalid-request');
    expect(problem.invalidParams?.map((p) => p.path)).toContain('keepOpenMs');
    await expectProblem(await s.finish(id, { keepOpenMs: 24 * 60 * MINUTE + 1 }), 400, 'invalid-request');
    expect(await taskRow(id)).toMatchObject({ status: 'running', agent_finished_at: null, open_until: null });
  });

  it('accepts exactly one of two follow-ups sent at once', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await s.open();
      const [a, b] = [message('use tabs'), message('use spaces')];
      const results = await Promise.all([s.followUp(id, a), s.followUp(id, b)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const won = FollowUpView.parse(await results.find((r) => r.status === 201)!.json());
      expect((await expectProblem(results.find((r) => r.status === 409)!, 409, 'conflict')).detail).toMatch(/is running/);
      expect(await followUpRows(id)).toEqual([{ id: won.id, status: 'pending' }]);
      expect((await s.view(id)).status).toBe('running');
    }
  });

  it('lets exactly one of a follow-up and a close win, leaving a consistent task', async () => {
    for (let round = 0; round < 4; round++) {
      const id = await s.open();
      const body = message('one more thing');
      const close = round % 2 === 0 ? () => s.agentClose(id) : () => s.phoneClose(id);
      const [sent, closed] = await Promise.all([s.followUp(id, body), close()]);
      const view = await s.view(id);
      expect(view.openUntil).toBeNull();
      if (sent.status === 201) {
        expect((await expectProblem(closed, 409, 'conflict')).detail).toMatch(/running|reopened/);
        expect(view).toMatchObject({ status: 'running', followUps: [{ id: body.id, status: 'pending' }] });
      } else {
        expect(closed.status).toBe(200);
        expect((await expectProblem(sent, 409, 'conflict')).detail).toMatch(/closed/);
        expect(view).toMatchObject({ status: 'succeeded', followUps: [] });
      }
    }
  });

  it('closes from the phone (then follow-ups are refused) and from the agent (idempotent; 409 once a follow-up reopened it)', async () => {
    const id = await s.open();
    const closed = await s.phoneClose(id);
    expect(closed.status).toBe(200);
    expect(TaskView.parse(await closed.json())).toMatchObject({ id, status: 'succeeded', openUntil: null });
    await eventually(() => expect(recorder.bodies()).toContainEqual({ type: 'task-changed', taskId: id, status: 'succeeded' }));
    expect((await expectProblem(await s.followUp(id, message('wait')), 409, 'conflict')).detail).toMatch(/window is closed/);
    expect((await expectProblem(await s.phoneClose(id), 409, 'conflict')).detail).toMatch(/window is closed/);
    expect((await s.agentClose(id)).status).toBe(200);
    expect((await taskRow(id)).open_until).toBeNull();

    const other = await s.open();
    const byAgent = await s.agentClose(other);
    expect(byAgent.status).toBe(200);
    expect(TaskView.parse(await byAgent.json()).openUntil).toBeNull();
    expect((await s.agentClose(other)).status).toBe(200);
    await expectProblem(await s.followUp(other, message('late')), 409, 'conflict');

    const reopened = await s.open();
    expect((await s.followUp(reopened, message('go on'))).status).toBe(201);
    expect((await expectProblem(await s.agentClose(reopened), 409, 'conflict')).detail).toMatch(/reopened/);
    expect((await expectProblem(await s.phoneClose(reopened), 409, 'conflict')).detail).toMatch(/is running/);
  });

  it('refuses a succeeded finish while a follow-up waits undelivered; a failed finish or a cancel ends the turn', async () => {
    const id = await s.open();
    const body = message('rename the module');
    expect((await s.followUp(id, body)).status).toBe(201);
    // E.g. the previous turn's finish, retried after the follow-up reopened the task.
    expect((await expectProblem(await s.finish(id, { keepOpenMs: MINUTE }), 409, 'conflict')).detail).toMatch(/follow-up is waiting/);
    expect((await taskRow(id)).status).toBe('running');
    expect((await s.finish(id, { status: 'failed', exitCode: null, error: { code: 'window-gone', message: 'the CLI window closed' } })).status).toBe(200);
    expect((await s.pending()).map((f) => f.id)).not.toContain(body.id);
    expect((await expectProblem(await s.deliver(body.id), 409, 'conflict')).detail).toMatch(/task is failed/);

    const cancelled = await s.open();
    const late = message('stop after this');
    expect((await s.followUp(cancelled, late)).status).toBe(201);
    expect((await api.post(`/api/tasks/${cancelled}/cancel`, undefined, alice)).status).toBe(200);
    expect((await s.pending()).map((f) => f.id)).not.toContain(late.id);
    expect((await expectProblem(await s.deliver(late.id), 409, 'conflict')).detail).toMatch(/task is cancelled/);
    expect(await s.view(cancelled)).toMatchObject({ status: 'cancelled', followUps: [{ id: late.id, status: 'pending' }] });
  });
});

describe('Worker follow-ups with a short lease', () => {
  let world: RecordedWorker;
  let owner: string;
  let agent: Agent;
  const LEASE = 1_500;

  beforeAll(async () => {
    world = await startRecordedWorker({ vars: { LEASE_MS: String(LEASE) } });
    owner = (await signedInOwner(world.worker, 'frank')).cookie;
    agent = await capableAgent(world.worker, owner, 'test-agent', { workspaces: ['repo'], backends: ['claude'], maxConcurrent: 1 });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('marks the task lost when an accepted follow-up is never delivered before its lease runs out', async () => {
    const { api, recorder } = world;
    const s = taskSteps(api, () => owner, () => agent);
    const id = await s.open();
    const body = message('are you there?');
    expect((await s.followUp(id, body)).status).toBe(201);
    expect((await s.view(id)).status).toBe('running');
    await sleep(LEASE + 300);
    expect(await s.view(id)).toMatchObject({ status: 'lost', error: { code: 'lease-expired' }, openUntil: null, followUps: [{ id: body.id, status: 'pending' }] });
    await eventually(() => expect(recorder.bodies()).toContainEqual({ type: 'task-changed', taskId: id, status: 'lost' }));
    expect(await s.pending()).toEqual([]);
    expect((await expectProblem(await s.deliver(body.id), 409, 'conflict')).detail).toMatch(/task is lost/);
    expect((await expectProblem(await s.followUp(id, message('hello?')), 409, 'conflict')).detail).toMatch(/ended lost/);
  });
});
