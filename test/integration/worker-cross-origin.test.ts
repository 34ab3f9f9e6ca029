// Cross-site request protection on the real Worker: a state-changing request with a foreign Origin is refused (403)
// whatever its body (form, text, JSON) and before authentication; a signed-in write without Origin is refused (403);
// a write that is not JSON is refused (415), empty-bodied POSTs included; agents and the CLI device flow (no cookie,
// no Origin) pass; nothing refused changes anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskList } from '../../protocol/index.ts';
import { pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient, expectProblem } from '../support/worker-http.ts';

const EVIL = 'https://evil.example';

describe('cross-origin protection', () => {
  let worker: RunningWorker;
  let api: ReturnType<typeof apiClient>;
  let alice: string;
  let agentToken: string;
  const send = (path: string, init: RequestInit) => fetch(`${worker.url}${path}`, { method: 'POST', ...init });
  const task = JSON.stringify({ workspace: 'repo', backend: 'shell', prompt: 'echo hi' });
  const taskCount = async () => TaskList.parse(await (await api.get('/api/tasks', alice)).json()).tasks.length;

  beforeAll(async () => {
    worker = await startWorker();
    api = apiClient(worker.url);
    alice = await signIn(worker.url, worker.setupSecret, 'alice');
    agentToken = (await pairAgent(worker.url, alice, 'alice-laptop')).token;
    const caps = await api.put('/api/agent/capabilities', { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 1 }, `Bearer ${agentToken}`);
    expect(caps.status).toBe(200);
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('refuses a foreign Origin with 403 whether the body is a form, text or JSON, signed in or not', async () => {
    const bodies: Array<[string, string]> = [
      ['application/x-www-form-urlencoded', 'workspace=repo&backend=shell&prompt=echo+hi'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="prompt"\r\n\r\necho hi\r\n--x--\r\n'],
      ['text/plain', task],
      ['application/json', task],
    ];
    for (const [type, body] of bodies) {
      for (const cookie of [alice, undefined]) {
        const res = await send('/api/tasks', { headers: { origin: EVIL, 'content-type': type, ...(cookie ? { cookie } : {}) }, body });
        expect((await expectProblem(res, 403, 'forbidden')).detail, `${type} ${cookie ? 'signed in' : 'anonymous'}`).toBe('cross-origin request');
      }
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      await expectProblem(await send('/api/agent/capabilities', { method, headers: { origin: EVIL, 'content-type': 'application/json', authorization: `Bearer ${agentToken}` }, body: '{}' }), 403, 'forbidden');
    }
    await expectProblem(await send('/api/device/code', { headers: { origin: 'null', 'content-type': 'application/json' }, body: '{"client_id":"hearth-agent"}' }), 403, 'forbidden');
    await expectProblem(await send('/api/tasks', { headers: { origin: worker.url.replace('127.0.0.1', 'localhost'), 'content-type': 'application/json', cookie: alice }, body: task }), 403, 'forbidden');
    expect(await taskCount()).toBe(0);
    // Reads are not state-changing: a foreign Origin on a GET changes nothing and is answered as usual.
    expect((await fetch(`${worker.url}/api/tasks`, { headers: { origin: EVIL, cookie: alice } })).status).toBe(200);
  });

  it('refuses a cookie-carrying write without Origin with 403; cookieless agents and the device flow pass', async () => {
    const noOrigin = await expectProblem(await send('/api/tasks', { headers: { cookie: alice, 'content-type': 'application/json' }, body: task }), 403, 'forbidden');
    expect(noOrigin.detail).toBe('a signed-in write must carry the Origin header of the app');
    await expectProblem(await send('/api/auth/sign-out', { headers: { cookie: alice, 'content-type': 'application/json' }, body: '{}' }), 403, 'forbidden');
    await expectProblem(await send(`/api/devices/${crypto.randomUUID()}`, { method: 'DELETE', headers: { cookie: alice } }), 403, 'forbidden');
    expect(await taskCount()).toBe(0);
    expect((await api.get('/api/me', alice)).status).toBe(200);

    const code = await send('/api/device/code', { headers: { 'content-type': 'application/json' }, body: '{"client_id":"hearth-agent"}' });
    expect(code.status).toBe(200);
    const agentCall = await send('/api/room-ticket', { headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(agentCall.status).toBe(200);
  });

  it('refuses writes that are not JSON with 415, empty POSTs included, before authentication', async () => {
    const page = { origin: worker.url };
    await expectProblem(await send('/api/tasks', { headers: { ...page, cookie: alice, 'content-type': 'text/plain' }, body: task }), 415, 'unsupported-media-type');
    await expectProblem(await send('/api/tasks', { headers: { ...page, cookie: alice }, body: task }), 415, 'unsupported-media-type');
    await expectProblem(await send('/api/auth/sign-out', { headers: { ...page, cookie: alice } }), 415, 'unsupported-media-type');
    await expectProblem(await send('/api/agent/tasks/00000000-0000-4000-8000-000000000000/heartbeat', { headers: { authorization: `Bearer ${agentToken}` } }), 415, 'unsupported-media-type');
    await expectProblem(await send('/api/device/token', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x' }), 415, 'unsupported-media-type');
    await expectProblem(await send('/api/tasks', { headers: { 'content-type': 'text/plain' }, body: task }), 415, 'unsupported-media-type');
    await expectProblem(await send(`/api/devices/${crypto.randomUUID()}`, { method: 'DELETE', headers: { ...page, cookie: alice, 'content-type': 'text/plain' }, body: 'x' }), 415, 'unsupported-media-type');
    expect(await taskCount()).toBe(0);
    expect((await api.get('/api/me', alice)).status).toBe(200);

    // The app's own requests: JSON (an empty POST declares it too), a bodyless DELETE, with its Origin.
    expect((await send('/api/tasks', { headers: { ...page, cookie: alice, 'content-type': 'application/json' }, body: task })).status).toBe(201);
    await expectProblem(await send(`/api/devices/${crypto.randomUUID()}`, { method: 'DELETE', headers: { ...page, cookie: alice } }), 404, 'not-found');
    expect((await send('/api/room-ticket', { headers: { ...page, cookie: alice, 'content-type': 'application/json' } })).status).toBe(200);
    expect(await taskCount()).toBe(1);
  });
});
