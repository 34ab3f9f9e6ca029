import { describe, expect, it } from 'vitest';
import { RoomNotification } from '../protocol/index.ts';
import { NOTIFY_DELAYS_MS, REVOKE_DEADLINE_MS, attemptTimeoutMs, notifyRoom, type RoomNotifyDeps } from './room-notify.ts';

const OWNER = '6f1c2d8e-4b1a-4c3e-9a53-3b7d1c0e5f21';
const TASK = '0b7e8a35-3f0e-4a55-8f7b-1e2d3c4b5a69';
const SECRET = 'room-secret-'.padEnd(40, 'x');
const APPROVAL = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';
const changed = (status: 'queued' | 'lost') => ({ type: 'task-changed' as const, taskId: TASK, status });

/** Deps whose fetch answers from `answers` in turn (a Response, or an Error to throw); records calls, sleeps and logs. */
function scripted(answers: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const sleeps: number[] = [];
  const logs: string[] = [];
  const deps: RoomNotifyDeps = {
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init ?? {} });
      const next = answers.shift() ?? new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
    partykitOrigin: 'http://127.0.0.1:1999',
    roomSecret: SECRET,
    log: (m) => logs.push(m),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  return { deps, calls, sleeps, logs };
}

describe('notifyRoom', () => {
  it('POSTs a task-changed to the owner room with the bearer secret', async () => {
    const { deps, calls, sleeps, logs } = scripted([new Response('ok')]);
    expect(await notifyRoom(deps, OWNER, changed('queued'))).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`http://127.0.0.1:1999/parties/main/${OWNER}`);
    expect(calls[0]!.init.method).toBe('POST');
    expect(new Headers(calls[0]!.init.headers).get('authorization')).toBe(`Bearer ${SECRET}`);
    expect(RoomNotification.parse(JSON.parse(String(calls[0]!.init.body)))).toEqual({ type: 'task-changed', taskId: TASK, status: 'queued' });
    expect(sleeps).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('retries network errors and 5xx with backoff until the room answers', async () => {
    const { deps, calls, sleeps, logs } = scripted([new TypeError('fetch failed'), new Response('busy', { status: 503 }), new Response('ok')]);
    expect(await notifyRoom(deps, OWNER, changed('queued'))).toBe(true);
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([250, 1_000]);
    expect(logs).toHaveLength(2);
  });

  it('gives up after the last attempt and resolves false', async () => {
    const { deps, calls, sleeps, logs } = scripted([new Response('x', { status: 502 }), new Response('x', { status: 500 }), new Response('x', { status: 504 }), new Response('ok')]);
    expect(await notifyRoom(deps, OWNER, changed('lost'))).toBe(false);
    expect(calls).toHaveLength(NOTIFY_DELAYS_MS.length);
    expect(sleeps).toEqual(NOTIFY_DELAYS_MS.filter((ms) => ms > 0));
    expect(logs.at(-1)).toContain(`attempt ${NOTIFY_DELAYS_MS.length}/${NOTIFY_DELAYS_MS.length}`);
  });

  it('does not retry a refusal that will not heal (401)', async () => {
    const { deps, calls } = scripted([new Response('no', { status: 401 }), new Response('ok')]);
    expect(await notifyRoom(deps, OWNER, changed('queued'))).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('logs failures without the secret and never throws', async () => {
    const { deps, logs } = scripted([new TypeError(`fetch failed ${SECRET}`), new Response('no', { status: 500 }), new Error(SECRET)]);
    expect(await notifyRoom(deps, OWNER, changed('lost'))).toBe(false);
    expect(logs).toHaveLength(3);
    for (const line of logs) expect(line).not.toContain(SECRET);
  });

  it('POSTs an approval-changed as it is and names the approval in failure logs', async () => {
    const { deps, calls, logs } = scripted([new Response('x', { status: 503 }), new Response('ok')]);
    const body = { type: 'approval-changed' as const, approvalId: APPROVAL, taskId: TASK, status: 'allowed' as const };
    expect(await notifyRoom(deps, OWNER, body)).toBe(true);
    expect(RoomNotification.parse(JSON.parse(String(calls[1]!.init.body)))).toEqual(body);
    expect(logs[0]).toContain(`approval ${APPROVAL}`);
  });

  it('retries a revocation and names no session or device in its logs', async () => {
    const { deps, calls, logs } = scripted([new TypeError('fetch failed'), new Response('ok')]);
    expect(await notifyRoom(deps, OWNER, { type: 'revoke', sid: 'session-secretish' })).toBe(true);
    expect(calls).toHaveLength(2);
    expect(RoomNotification.parse(JSON.parse(String(calls[1]!.init.body)))).toEqual({ type: 'revoke', sid: 'session-secretish' });
    expect(logs[0]).toContain('a revocation');
    expect(logs[0]).not.toContain('session-secretish');
  });

  it('ends every attempt of a revocation within 5 s, even against a room that never answers', () => {
    const worstCase = NOTIFY_DELAYS_MS.reduce((sum, delay) => sum + delay + attemptTimeoutMs({ type: 'revoke', sid: 's' }), 0);
    expect(worstCase).toBeLessThanOrEqual(REVOKE_DEADLINE_MS);
    expect(REVOKE_DEADLINE_MS).toBeLessThanOrEqual(5_000);
  });
});
