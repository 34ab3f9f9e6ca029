// The Worker's HTTP API against real workerd + real D1 (migrations applied): every route's success, bad input,
// missing auth, owner scoping and conflicts. A local HTTP server stands where the PartyKit room would be, to
// record the RoomNotifications the Worker POSTs (the room itself is tested in its own suite).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClaimResponse,
  DeviceAuthorizationResponse,
  DeviceTokenResponse,
  HeartbeatResponse,
  Me,
  RoomTicketResponse,
  TaskList,
  TaskView,
  TicketClaims,
  WorkspaceList,
  type TaskStatus,
} from '../../protocol/index.ts';
import { pairAgent, signIn, type RunningWorker } from '../support/worker.ts';
import { eventually, expectProblem } from '../support/worker-http.ts';
import { bearer, startRecordedWorker, twoOwners, type Agent, type RecordedWorker } from '../support/worker-owners.ts';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

async function tokenError(res: Response): Promise<string> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string };
  return body.error;
}

describe('Worker HTTP API', () => {
  let world: RecordedWorker;
  let worker: RunningWorker;
  let recorder: RecordedWorker['recorder'];
  let api: RecordedWorker['api'];
  let alice: string;
  let bob: string;
  let aliceId: string;
  let agentA: Agent;
  let agentA2: Agent;
  let agentB: Agent;

  const createTask = async (auth: string, prompt = 'echo hi', extra: Partial<{ workspace: string; backend: string }> = {}) => {
    const res = await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt, ...extra }, auth);
    expect(res.status).toBe(201);
    return TaskView.parse(await res.json());
  };
  const listTasks = async (auth: string) => TaskList.parse(await (await api.get('/api/tasks', auth)).json()).tasks;

  beforeAll(async () => {
    world = await startRecordedWorker();
    ({ worker, recorder, api } = world);
    ({ alice, bob, aliceId, agentA, agentA2, agentB } = await twoOwners(worker, { workspaces: ['repo', 'notes'], backends: ['shell', 'claude'], maxConcurrent: 2 }));
  });

  afterAll(async () => {
    await world?.stop();
  });

  describe('setup and sign-in', () => {
    // Setup links, passkey registration and sign-in: passkey-setup.test.ts, passkey-sign-in.test.ts, sessions.test.ts.
    it('keeps the same owner for the same name', async () => {
      const again = await signIn(worker.url, worker.setupSecret, 'alice');
      expect(Me.parse(await (await api.get('/api/me', again)).json()).ownerId).toBe(aliceId);
    });

    it('refuses cookie-authenticated writes from another origin', async () => {
      await expectProblem(await api.post('/api/room-ticket', undefined, alice, { origin: 'https://evil.example' }), 403, 'forbidden');
      expect((await api.post('/api/room-ticket', undefined, alice, { origin: worker.url })).status).toBe(200);
    });
  });

  describe('device pairing (RFC 8628)', () => {
    const newCode = async (name?: string) => {
      const res = await api.post('/api/device/code', { client_id: 'hearth-agent', ...(name ? { device_name: name } : {}) });
      expect(res.status).toBe(200);
      return DeviceAuthorizationResponse.parse(await res.json());
    };
    const poll = (device_code: string) => api.post('/api/device/token', { grant_type: GRANT, device_code, client_id: 'hearth-agent' });

    it('issues a device_code and a XXXX-XXXX user_code with the verification URIs', async () => {
      const code = await newCode('box');
      expect(code.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(code.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(code.verification_uri).toBe(`${worker.url}/pair`);
      expect(code.verification_uri_complete).toBe(`${worker.url}/pair?user_code=${code.user_code}`);
      expect([code.expires_in, code.interval]).toEqual([600, 5]);
      await expectProblem(await api.post('/api/device/code', { client_id: 'other' }), 400, 'invalid-request');
    });

    it('answers authorization_pending, then slow_down when polled sooner than the interval', async () => {
      const code = await newCode();
      expect(await tokenError(await poll(code.device_code))).toBe('authorization_pending');
      expect(await tokenError(await poll(code.device_code))).toBe('slow_down');
      expect(await tokenError(await poll(code.device_code))).toBe('slow_down');
    });

    it('mints exactly one token for an approved code, then invalid_grant', async () => {
      const code = await newCode('pi');
      await expectProblem(await api.post('/api/device/approve', { user_code: code.user_code }), 401, 'unauthenticated');
      // lower case and without the dash is the same code
      const approve = await api.post('/api/device/approve', { user_code: code.user_code.toLowerCase().replace('-', '') }, alice);
      expect(approve.status).toBe(204);
      await expectProblem(await api.post('/api/device/approve', { user_code: code.user_code }, alice), 409, 'conflict');
      await expectProblem(await api.post('/api/device/deny', { user_code: code.user_code }, bob), 409, 'conflict');
      const results = await Promise.all([poll(code.device_code), poll(code.device_code), poll(code.device_code)]);
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      const token = DeviceTokenResponse.parse(await winners[0]!.json());
      for (const r of results.filter((x) => x.status !== 200)) expect(['invalid_grant', 'slow_down']).toContain(await tokenError(r));
      expect(await tokenError(await poll(code.device_code))).toBe('invalid_grant');
      // The token works and belongs to alice.
      const ticket = RoomTicketResponse.parse(await (await api.post('/api/room-ticket', undefined, `Bearer ${token.access_token}`)).json());
      expect(ticket.room).toBe(aliceId);
      const list = WorkspaceList.parse(await (await api.get('/api/workspaces', alice)).json());
      expect(list.agents.find((a) => a.id === token.device_id)?.name).toBe('pi');
    });

    it('answers access_denied for a denied code', async () => {
      const code = await newCode();
      expect((await api.post('/api/device/deny', { user_code: code.user_code }, alice)).status).toBe(204);
      expect(await tokenError(await poll(code.device_code))).toBe('access_denied');
      await expectProblem(await api.post('/api/device/approve', { user_code: code.user_code }, alice), 409, 'conflict');
    });

    it('refuses unknown codes and malformed requests', async () => {
      await expectProblem(await api.post('/api/device/approve', { user_code: 'BCDF-GHJK' }, alice), 404, 'not-found');
      await expectProblem(await api.post('/api/device/approve', { user_code: 'AAAA-AAAA' }, alice), 400, 'invalid-request');
      expect(await tokenError(await poll('n'.repeat(43)))).toBe('invalid_grant');
      expect(await tokenError(await api.post('/api/device/token', { grant_type: 'password', device_code: 'x', client_id: 'hearth-agent' }))).toBe('unsupported_grant_type');
      expect(await tokenError(await api.post('/api/device/token', { grant_type: GRANT, device_code: 'x', client_id: 'evil' }))).toBe('invalid_client');
      expect(await tokenError(await api.raw('/api/device/token', { headers: { 'content-type': 'application/json' }, body: '{nope' }))).toBe('invalid_request');
    });
  });

  describe('room tickets', () => {
    const verify = (ticket: string) => {
      const [payload, mac] = ticket.split('.');
      expect(createHmac('sha256', worker.ticketSecret).update(payload!).digest('base64url')).toBe(mac);
      return TicketClaims.parse(JSON.parse(Buffer.from(payload!, 'base64url').toString()));
    };

    it('gives a phone a signed 60 s ticket for its own room, bound to the page origin', async () => {
      const page = { origin: worker.url };
      const res = RoomTicketResponse.parse(await (await api.post('/api/room-ticket', undefined, alice, page)).json());
      expect(res.room).toBe(aliceId);
      expect(res.host).toBe(recorder.host);
      const claims = verify(res.ticket);
      expect(claims).toMatchObject({ sub: aliceId, role: 'phone', origin: worker.url });
      expect(Math.abs(claims.exp - (Date.now() / 1000 + 60))).toBeLessThan(10);
      expect(res.expiresAt).toBe(claims.exp * 1000);
      const again = RoomTicketResponse.parse(await (await api.post('/api/room-ticket', undefined, alice, page)).json());
      expect(verify(again.ticket).jti).not.toBe(claims.jti);
    });

    it('gives an agent a ticket with role agent and its device id', async () => {
      const res = RoomTicketResponse.parse(await (await api.post('/api/room-ticket', undefined, bearer(agentB))).json());
      const claims = verify(res.ticket);
      expect(claims).toMatchObject({ role: 'agent', sid: agentB.deviceId, sub: res.room });
      expect(claims).not.toHaveProperty('origin');
      expect(res.room).not.toBe(aliceId);
    });

    it('refuses a phone ticket to a request without an Origin header', async () => {
      const bare = await fetch(`${worker.url}/api/room-ticket`, { method: 'POST', headers: { cookie: alice, 'content-type': 'application/json' } });
      await expectProblem(bare, 403, 'forbidden');
    });

    it('refuses without credentials or with a bad token', async () => {
      await expectProblem(await api.post('/api/room-ticket'), 401, 'unauthenticated');
      await expectProblem(await api.post('/api/room-ticket', undefined, 'Bearer ' + 'q'.repeat(43)), 401, 'unauthenticated');
    });
  });

  describe('workspaces and capabilities', () => {
    it('lists the union of the owner agents only', async () => {
      const list = WorkspaceList.parse(await (await api.get('/api/workspaces', alice)).json());
      expect(list.workspaces).toEqual(['notes', 'repo']);
      expect(list.backends).toEqual(['claude', 'shell']);
      expect(list.agents.map((a) => a.id)).toEqual(expect.arrayContaining([agentA.deviceId, agentA2.deviceId]));
      expect(list.agents.map((a) => a.id)).not.toContain(agentB.deviceId);
      await expectProblem(await api.get('/api/workspaces'), 401, 'unauthenticated');
    });

    it('refuses bad capabilities and unauthenticated agents', async () => {
      await expectProblem(await api.put('/api/agent/capabilities', { workspaces: ['../etc'], backends: ['shell'], maxConcurrent: 1 }, bearer(agentA)), 400, 'invalid-request');
      await expectProblem(await api.put('/api/agent/capabilities', { workspaces: [], backends: ['vim'], maxConcurrent: 1 }, bearer(agentA)), 400, 'invalid-request');
      await expectProblem(await api.put('/api/agent/capabilities', { workspaces: [], backends: [], maxConcurrent: 1 }), 401, 'unauthenticated');
      await expectProblem(await api.put('/api/agent/capabilities', { workspaces: [], backends: [], maxConcurrent: 1 }, alice), 401, 'unauthenticated');
    });
  });

  describe('phone tasks', () => {
    it('creates a queued task and notifies the owner room', async () => {
      const task = await createTask(alice, 'ls -la\n\tdone ✓');
      expect(task).toMatchObject({ status: 'queued', workspace: 'repo', backend: 'shell', prompt: 'ls -la\n\tdone ✓', agentId: null, startedAt: null });
      await eventually(() =>
        expect(recorder.seen).toContainEqual({
          path: `/parties/main/${aliceId}`,
          authorization: `Bearer ${worker.roomSecret}`,
          body: { type: 'task-changed', taskId: task.id, status: 'queued' },
        }),
      );
    });

    it('refuses bad input and leaves no row behind', async () => {
      const before = (await listTasks(alice)).length;
      const post = (body: string, contentType = 'application/json') =>
        api.raw('/api/tasks', { auth: alice, headers: { 'content-type': contentType }, body });
      const good = { workspace: 'repo', backend: 'shell', prompt: 'x' };
      await expectProblem(await post('{"workspace":'), 400, 'invalid-request');
      await expectProblem(await post(JSON.stringify(good), 'text/plain'), 415, 'unsupported-media-type');
      await expectProblem(await api.raw('/api/tasks', { auth: alice, body: JSON.stringify(good) }), 415, 'unsupported-media-type');
      const wrongTypes = await expectProblem(await post(JSON.stringify({ workspace: 7, backend: 'shell', prompt: ['x'] })), 400, 'invalid-request');
      expect(wrongTypes.invalidParams?.map((p) => p.path).sort()).toEqual(['prompt', 'workspace']);
      await expectProblem(await post(JSON.stringify({ ...good, extra: 1 })), 400, 'invalid-request');
      await expectProblem(await post(JSON.stringify({ ...good, prompt: '' })), 400, 'invalid-request');
      const overPrompt = await expectProblem(await post(JSON.stringify({ ...good, prompt: 'a'.repeat(64 * 1024 + 1) })), 400, 'invalid-request');
      expect(overPrompt.invalidParams).toEqual([{ path: 'prompt', message: 'the prompt is over 65536 bytes' }]);
      await expectProblem(await post(JSON.stringify({ ...good, prompt: 'é'.repeat(32 * 1024 + 1) })), 400, 'invalid-request');
      // Over the limit and escaped to twice its size: still a 400 that names the prompt, not a 413.
      const overEscaped = await expectProblem(await post(JSON.stringify({ ...good, prompt: '\n'.repeat(64 * 1024 + 1) })), 400, 'invalid-request');
      expect(overEscaped.invalidParams?.[0]).toEqual({ path: 'prompt', message: 'the prompt is over 65536 bytes' });
      const huge = await expectProblem(await post(JSON.stringify({ ...good, prompt: 'a'.repeat(1024 * 1024) })), 413, 'payload-too-large');
      expect(huge.detail).toMatch(/prompt may be at most 65536 bytes/);
      const ctl = await expectProblem(await post(JSON.stringify({ ...good, prompt: 'rm -rf /\u001b[201~\u0007' })), 400, 'invalid-request');
      expect(ctl.invalidParams?.[0]?.path).toBe('prompt');
      await expectProblem(await post('{"workspace":"repo","backend":"shell","prompt":"a\\ud800b"}'), 400, 'invalid-request');
      await expectProblem(await post(JSON.stringify({ ...good, workspace: '../../etc' })), 400, 'invalid-request');
      await expectProblem(await post(JSON.stringify({ ...good, workspace: 'elsewhere' })), 422, 'unknown-workspace');
      await expectProblem(await post(JSON.stringify({ ...good, backend: 'codex' })), 422, 'unknown-backend');
      await expectProblem(await post(JSON.stringify({ ...good, backend: 'emacs' })), 400, 'invalid-request');
      await expectProblem(await api.raw('/api/tasks', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(good) }), 401, 'unauthenticated');
      // A streamed body (no Content-Length) over the cap is cut off too.
      const stream = new ReadableStream<Uint8Array>({
        start(ctl2) {
          for (let i = 0; i < 20; i++) ctl2.enqueue(new Uint8Array(16 * 1024).fill(0x20));
          ctl2.close();
        },
      });
      await expectProblem(await api.raw('/api/tasks', { auth: alice, headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit), 413, 'payload-too-large');
      expect(await listTasks(alice)).toHaveLength(before);
    });

    it('accepts a prompt of exactly 64 KiB', async () => {
      const task = await createTask(alice, 'a'.repeat(64 * 1024));
      expect(task.prompt).toHaveLength(64 * 1024);
    });

    it.each([
      ['newlines', '\n'],
      ['quotes', '"'],
      ['backslashes', '\\'],
      ['tabs and CRs', '\t\r'],
    ])('accepts a 64 KiB prompt of %s, which doubles when JSON-escaped', async (_name, unit) => {
      const prompt = unit.repeat((64 * 1024) / unit.length);
      expect(JSON.stringify({ workspace: 'repo', backend: 'shell', prompt }).length).toBeGreaterThan(128 * 1024);
      const task = await createTask(alice, prompt);
      expect(task.prompt).toBe(prompt);
      expect(TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json()).prompt).toBe(prompt);
    });

    it('retries the room notification when the room fails, without failing the request', async () => {
      recorder.failNext(503, 2);
      const task = await createTask(alice, 'notify me eventually');
      await eventually(() => expect(recorder.seen.map((r) => r.body)).toContainEqual({ type: 'task-changed', taskId: task.id, status: 'queued' }));
      expect(recorder.attempts.filter((b) => b.type === 'task-changed' && b.taskId === task.id && b.status === 'queued')).toHaveLength(3);
      expect(worker.output()).not.toContain(worker.roomSecret);
      expect(worker.output()).not.toContain(worker.ticketSecret);
    });

    it('answers no-agent for an owner without agents', async () => {
      const carol = await signIn(worker.url, worker.setupSecret, 'carol-no-agent');
      await expectProblem(await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: 'x' }, carol), 422, 'no-agent');
      expect(await listTasks(carol)).toEqual([]);
    });

    it('lists newest first and reads one task, scoped to its owner', async () => {
      const older = await createTask(alice, 'first');
      const newer = await createTask(alice, 'second');
      const tasks = await listTasks(alice);
      expect(tasks.findIndex((t) => t.id === newer.id)).toBeLessThan(tasks.findIndex((t) => t.id === older.id));
      expect(tasks.every((t) => t.finalScreen === undefined)).toBe(true);
      const one = TaskView.parse(await (await api.get(`/api/tasks/${older.id}`, alice)).json());
      expect(one).toMatchObject({ id: older.id, prompt: 'first', finalScreen: null });
      expect((await listTasks(bob)).map((t) => t.id)).not.toContain(older.id);
      await expectProblem(await api.get(`/api/tasks/${older.id}`, bob), 404, 'not-found');
      await expectProblem(await api.get(`/api/tasks/${UNKNOWN_ID}`, alice), 404, 'not-found');
      await expectProblem(await api.get('/api/tasks/not-a-uuid', alice), 404, 'not-found');
      await expectProblem(await api.get(`/api/tasks/${older.id}`), 401, 'unauthenticated');
      await expectProblem(await api.get('/api/tasks'), 401, 'unauthenticated');
    });

    it('cancels a queued task once; another owner cannot', async () => {
      const task = await createTask(alice, 'to cancel');
      await expectProblem(await api.post(`/api/tasks/${task.id}/cancel`, undefined, bob), 404, 'not-found');
      const res = await api.post(`/api/tasks/${task.id}/cancel`, undefined, alice);
      expect(res.status).toBe(200);
      expect(TaskView.parse(await res.json())).toMatchObject({ status: 'cancelled' });
      await expectProblem(await api.post(`/api/tasks/${task.id}/cancel`, undefined, alice), 409, 'conflict');
      await expectProblem(await api.post(`/api/tasks/${UNKNOWN_ID}/cancel`, undefined, alice), 404, 'not-found');
      await eventually(() => expect(recorder.seen.map((r) => r.body)).toContainEqual({ type: 'task-changed', taskId: task.id, status: 'cancelled' }));
      await expectProblem(await api.post(`/api/agent/tasks/${task.id}/claim`, undefined, bearer(agentA)), 409, 'conflict');
    });
  });

  describe('agent tasks', () => {
    const claim = (id: string, agent: { token: string }) => api.post(`/api/agent/tasks/${id}/claim`, undefined, bearer(agent));
    const heartbeat = (id: string, agent: { token: string }) => api.post(`/api/agent/tasks/${id}/heartbeat`, undefined, bearer(agent));
    const setStatus = (id: string, agent: { token: string }, status: string) => api.post(`/api/agent/tasks/${id}/status`, { status }, bearer(agent));
    const finish = (id: string, agent: { token: string }, status: TaskStatus, screen = ['$ echo hi', 'hi']) =>
      api.post(`/api/agent/tasks/${id}/finish`, { status, exitCode: 0, error: null, finalScreen: screen }, bearer(agent));
    const notified = (taskId: string) => recorder.seen.flatMap((r) => (r.body.type !== 'revoke' && r.body.taskId === taskId ? [r.body.status] : []));

    it("lists the owner's queued tasks oldest first, nothing of other owners", async () => {
      const a = await createTask(alice, 'q1');
      const b = await createTask(alice, 'q2');
      const bobs = await createTask(bob, 'bob only');
      const res = await api.get('/api/agent/tasks/queued', bearer(agentA));
      const queued = TaskList.parse(await res.json()).tasks;
      expect(queued.every((t) => t.status === 'queued')).toBe(true);
      expect(queued.findIndex((t) => t.id === a.id)).toBeLessThan(queued.findIndex((t) => t.id === b.id));
      expect(queued.map((t) => t.id)).not.toContain(bobs.id);
      await expectProblem(await api.get('/api/agent/tasks/queued'), 401, 'unauthenticated');
      await expectProblem(await api.get('/api/agent/tasks/queued', alice), 401, 'unauthenticated');
    });

    it('runs claim → heartbeat → waiting_approval → running → finish exactly once', async () => {
      const task = await createTask(alice, 'full run');
      await expectProblem(await claim(task.id, agentB), 404, 'not-found');
      const [r1, r2] = await Promise.all([claim(task.id, agentA), claim(task.id, agentA2)]);
      expect([r1.status, r2.status].sort()).toEqual([200, 409]);
      const [winner, loser] = r1.status === 200 ? [agentA, agentA2] : [agentA2, agentA];
      const claimed = ClaimResponse.parse(await (r1.status === 200 ? r1 : r2).json());
      expect(claimed.task).toMatchObject({ id: task.id, status: 'running', agentId: winner.deviceId });
      expect(claimed.leaseExpiresAt).toBeGreaterThan(Date.now() + 50_000);
      await expectProblem(await claim(task.id, winner), 409, 'conflict');

      const hb = HeartbeatResponse.parse(await (await heartbeat(task.id, winner)).json());
      expect(hb.status).toBe('running');
      expect(hb.leaseExpiresAt).toBeGreaterThanOrEqual(claimed.leaseExpiresAt);
      await expectProblem(await heartbeat(task.id, loser), 404, 'not-found');
      await expectProblem(await heartbeat(task.id, agentB), 404, 'not-found');
      await expectProblem(await heartbeat(UNKNOWN_ID, winner), 404, 'not-found');

      expect(TaskView.parse(await (await setStatus(task.id, winner, 'waiting_approval')).json()).status).toBe('waiting_approval');
      await expectProblem(await setStatus(task.id, winner, 'waiting_approval'), 409, 'conflict');
      await expectProblem(await setStatus(task.id, loser, 'running'), 404, 'not-found');
      await expectProblem(await setStatus(task.id, winner, 'succeeded'), 400, 'invalid-request');
      expect(TaskView.parse(await (await setStatus(task.id, winner, 'running')).json()).status).toBe('running');

      await expectProblem(await finish(task.id, loser, 'succeeded'), 404, 'not-found');
      await expectProblem(
        await api.post(`/api/agent/tasks/${task.id}/finish`, { status: 'lost', exitCode: 0, error: null, finalScreen: [] }, bearer(winner)),
        400,
        'invalid-request',
      );
      await expectProblem(await finish(task.id, winner, 'succeeded', ['x'.repeat(1001)]), 400, 'invalid-request');
      const done = await finish(task.id, winner, 'succeeded');
      expect(done.status).toBe(200);
      expect(TaskView.parse(await done.json())).toMatchObject({ status: 'succeeded', exitCode: 0 });
      await expectProblem(await finish(task.id, winner, 'failed'), 409, 'conflict');
      await expectProblem(await heartbeat(task.id, loser), 404, 'not-found');
      expect(HeartbeatResponse.parse(await (await heartbeat(task.id, winner)).json())).toEqual({ status: 'succeeded', leaseExpiresAt: null });

      const view = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json());
      expect(view).toMatchObject({ status: 'succeeded', exitCode: 0, finalScreen: ['$ echo hi', 'hi'], agentId: winner.deviceId, error: null });
      expect(view.startedAt).not.toBeNull();
      expect(view.endedAt).not.toBeNull();
      await expectProblem(await api.post(`/api/tasks/${task.id}/cancel`, undefined, alice), 409, 'conflict');
      await eventually(() => expect(notified(task.id)).toEqual(['queued', 'running', 'waiting_approval', 'running', 'succeeded']));
    });

    it('stores a failure with its error', async () => {
      const task = await createTask(alice, 'fails');
      expect((await claim(task.id, agentA)).status).toBe(200);
      const res = await api.post(
        `/api/agent/tasks/${task.id}/finish`,
        { status: 'failed', exitCode: 2, error: { code: 'backend-unavailable', message: 'claude not found' }, finalScreen: [] },
        bearer(agentA),
      );
      expect(res.status).toBe(200);
      const view = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json());
      expect(view).toMatchObject({ status: 'failed', exitCode: 2, error: { code: 'backend-unavailable', message: 'claude not found' }, finalScreen: [] });
    });

    it('tells the agent about an owner cancel and keeps the task cancelled on finish', async () => {
      const task = await createTask(alice, 'cancel while running');
      expect((await claim(task.id, agentA)).status).toBe(200);
      expect((await api.post(`/api/tasks/${task.id}/cancel`, undefined, alice)).status).toBe(200);
      expect(HeartbeatResponse.parse(await (await heartbeat(task.id, agentA)).json())).toEqual({ status: 'cancelled', leaseExpiresAt: null });
      await expectProblem(await setStatus(task.id, agentA, 'waiting_approval'), 409, 'conflict');
      const res = await finish(task.id, agentA, 'succeeded', ['^C']);
      expect(res.status).toBe(200);
      expect(TaskView.parse(await res.json())).toMatchObject({ status: 'cancelled', finalScreen: ['^C'] });
      await expectProblem(await finish(task.id, agentA, 'succeeded', ['again']), 409, 'conflict');
      const view = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json());
      expect(view).toMatchObject({ status: 'cancelled', finalScreen: ['^C'], exitCode: 0 });
    });

    it('caps the finish body at 2 MiB and refuses malformed ids', async () => {
      const task = await createTask(alice, 'big finish');
      expect((await claim(task.id, agentA)).status).toBe(200);
      const big = Array.from({ length: 500 }, () => 'x'.repeat(1000)).concat(['y'.repeat(2 * 1024 * 1024)]);
      await expectProblem(await finish(task.id, agentA, 'succeeded', big), 413, 'payload-too-large');
      const fullScreen = Array.from({ length: 500 }, () => 'x'.repeat(1000));
      expect((await finish(task.id, agentA, 'succeeded', fullScreen)).status).toBe(200);
      await expectProblem(await claim('nope', agentA), 404, 'not-found');
      await expectProblem(await api.post(`/api/agent/tasks/${task.id}/claim`), 401, 'unauthenticated');
    });
  });

  it('stores the largest valid final screen: 500 rows of 1000 CJK characters (~1.5 MB of JSON)', async () => {
    const task = await createTask(alice, 'cjk screen');
    expect((await api.post(`/api/agent/tasks/${task.id}/claim`, undefined, bearer(agentA))).status).toBe(200);
    const screen = Array.from({ length: 500 }, (_, i) => String.fromCodePoint(0x4e00 + i).repeat(1000));
    const body = { status: 'succeeded', exitCode: 0, error: null, finalScreen: screen };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(1.4 * 1024 * 1024);
    const res = await api.post(`/api/agent/tasks/${task.id}/finish`, body, bearer(agentA));
    expect(res.status).toBe(200);
    const view = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, alice)).json());
    expect(view.finalScreen).toEqual(screen);
  });

  describe('agent capabilities scope the queue and the claim', () => {
    let notesClaude: { token: string; deviceId: string };
    let silent: { token: string; deviceId: string };
    const queuedIds = async (agent: { token: string }) =>
      TaskList.parse(await (await api.get('/api/agent/tasks/queued', bearer(agent))).json()).tasks.map((t) => t.id);
    const claim = (id: string, agent: { token: string }) => api.post(`/api/agent/tasks/${id}/claim`, undefined, bearer(agent));

    beforeAll(async () => {
      notesClaude = await pairAgent(worker.url, alice, 'alice-notes-box');
      silent = await pairAgent(worker.url, alice, 'alice-silent-box'); // never advertises capabilities
      const caps = { workspaces: ['notes'], backends: ['claude'], maxConcurrent: 1 };
      expect((await api.put('/api/agent/capabilities', caps, bearer(notesClaude))).status).toBe(200);
    });

    it('lists and lets claim only tasks whose workspace and backend the agent advertised', async () => {
      const repoShell = await createTask(alice, 'for the laptop');
      const notesShell = await createTask(alice, 'right workspace, wrong backend', { workspace: 'notes' });
      const repoClaude = await createTask(alice, 'right backend, wrong workspace', { backend: 'claude' });
      const notesClaudeTask = await createTask(alice, 'for the notes box', { workspace: 'notes', backend: 'claude' });

      const seen = await queuedIds(notesClaude);
      expect(seen).toContain(notesClaudeTask.id);
      for (const other of [repoShell, notesShell, repoClaude]) expect(seen).not.toContain(other.id);
      expect(await queuedIds(agentA)).toEqual(expect.arrayContaining([repoShell.id, notesShell.id, repoClaude.id, notesClaudeTask.id]));
      expect(await queuedIds(silent)).toEqual([]);

      for (const other of [repoShell, notesShell, repoClaude]) await expectProblem(await claim(other.id, notesClaude), 404, 'not-found');
      for (const any of [repoShell, notesClaudeTask]) await expectProblem(await claim(any.id, silent), 404, 'not-found');
      // Refused claims changed nothing: the right agent still gets the task.
      expect(TaskView.parse(await (await api.get(`/api/tasks/${repoShell.id}`, alice)).json()).status).toBe('queued');
      expect(ClaimResponse.parse(await (await claim(repoShell.id, agentA)).json()).task.agentId).toBe(agentA.deviceId);
      expect(ClaimResponse.parse(await (await claim(notesClaudeTask.id, notesClaude)).json()).task.agentId).toBe(notesClaude.deviceId);
      // Once taken: 409 for an agent that could have run it, still 404 for one that could not.
      await expectProblem(await claim(repoShell.id, agentA2), 409, 'conflict');
      await expectProblem(await claim(repoShell.id, notesClaude), 404, 'not-found');
      for (const t of [notesShell, repoClaude]) expect((await api.post(`/api/tasks/${t.id}/cancel`, undefined, alice)).status).toBe(200);
    });

    it('follows a change of capabilities at once', async () => {
      const task = await createTask(alice, 'repo work', { workspace: 'repo', backend: 'shell' });
      expect(await queuedIds(notesClaude)).not.toContain(task.id);
      const wider = { workspaces: ['notes', 'repo'], backends: ['claude', 'shell'], maxConcurrent: 1 };
      expect((await api.put('/api/agent/capabilities', wider, bearer(notesClaude))).status).toBe(200);
      expect(await queuedIds(notesClaude)).toContain(task.id);
      expect((await claim(task.id, notesClaude)).status).toBe(200);
    });
  });

  it('answers unknown API routes with a problem', async () => {
    await expectProblem(await api.get('/api/nothing-here'), 404, 'not-found');
    await expectProblem(await api.raw('/api/tasks', { method: 'DELETE', auth: alice }), 404, 'not-found');
  });
});

describe('Worker HTTP API with short clocks (code expiry, leases)', () => {
  let world: RecordedWorker;
  let worker: RunningWorker;
  let recorder: RecordedWorker['recorder'];
  let api: RecordedWorker['api'];
  let owner: string;
  let agent: Agent;
  const LEASE = 1_500;

  beforeAll(async () => {
    world = await startRecordedWorker({ vars: { DEVICE_CODE_TTL_SECONDS: '1', LEASE_MS: String(LEASE) } });
    ({ worker, recorder, api } = world);
    owner = await signIn(worker.url, worker.setupSecret, 'frank');
    agent = await pairAgent(worker.url, owner);
    await api.put('/api/agent/capabilities', { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 1 }, bearer(agent));
  });

  afterAll(async () => {
    await world?.stop();
  });

  const queueAndClaim = async () => {
    const created = await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: 'sleep 100' }, owner);
    const task = TaskView.parse(await created.json());
    const claimed = await api.post(`/api/agent/tasks/${task.id}/claim`, undefined, `Bearer ${agent.token}`);
    expect(claimed.status).toBe(200);
    return task;
  };

  it('expires device codes: expired_token, and approval is refused', async () => {
    const code = DeviceAuthorizationResponse.parse(await (await api.post('/api/device/code', { client_id: 'hearth-agent' })).json());
    expect(code.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    await expectProblem(await api.post('/api/device/approve', { user_code: code.user_code }, owner), 404, 'not-found');
    const res = await api.post('/api/device/token', { grant_type: GRANT, device_code: code.device_code, client_id: 'hearth-agent' });
    expect(await tokenError(res)).toBe('expired_token');
  });

  it('marks a task lost when its lease runs out, and refuses the late agent', async () => {
    const task = await queueAndClaim();
    await new Promise((r) => setTimeout(r, LEASE + 300));
    const view = TaskView.parse(await (await api.get(`/api/tasks/${task.id}`, owner)).json());
    expect(view).toMatchObject({ status: 'lost', error: { code: 'lease-expired' } });
    expect(HeartbeatResponse.parse(await (await api.post(`/api/agent/tasks/${task.id}/heartbeat`, undefined, `Bearer ${agent.token}`)).json())).toEqual({
      status: 'lost',
      leaseExpiresAt: null,
    });
    const fin = await api.post(`/api/agent/tasks/${task.id}/finish`, { status: 'succeeded', exitCode: 0, error: null, finalScreen: [] }, `Bearer ${agent.token}`);
    await expectProblem(fin, 409, 'conflict');
    await eventually(() => expect(recorder.seen.map((r) => r.body)).toContainEqual({ type: 'task-changed', taskId: task.id, status: 'lost' }));
  });

  it('keeps a task alive while heartbeats arrive', async () => {
    const task = await queueAndClaim();
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, LEASE / 3));
      const hb = HeartbeatResponse.parse(await (await api.post(`/api/agent/tasks/${task.id}/heartbeat`, undefined, `Bearer ${agent.token}`)).json());
      expect(hb.status).toBe('running');
    }
  });

  it('sweeps expired leases on the cron trigger without any request touching the task', async () => {
    const task = await queueAndClaim();
    await new Promise((r) => setTimeout(r, LEASE + 300));
    expect(recorder.seen.map((r) => r.body)).not.toContainEqual({ type: 'task-changed', taskId: task.id, status: 'lost' });
    const res = await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`);
    expect(res.status).toBe(200);
    await eventually(() => expect(recorder.seen.map((r) => r.body)).toContainEqual({ type: 'task-changed', taskId: task.id, status: 'lost' }));
  });
});
