import { describe, expect, it } from 'vitest';
import { RoomNotification } from '../protocol/index.ts';
import { notifyRoom } from './room-notify.ts';

const OWNER = '6f1c2d8e-4b1a-4c3e-9a53-3b7d1c0e5f21';
const TASK = '0b7e8a35-3f0e-4a55-8f7b-1e2d3c4b5a69';
const SECRET = 'room-secret-'.padEnd(40, 'x');

describe('notifyRoom', () => {
  it('POSTs a task-changed to the owner room with the bearer secret', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const logs: string[] = [];
    const ok = await notifyRoom(
      {
        fetch: async (url, init) => {
          calls.push({ url: String(url), init: init ?? {} });
          return new Response('ok');
        },
        partykitOrigin: 'http://127.0.0.1:1999',
        roomSecret: SECRET,
        log: (m) => logs.push(m),
      },
      OWNER,
      TASK,
      'queued',
    );
    expect(ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`http://127.0.0.1:1999/parties/main/${OWNER}`);
    expect(calls[0]!.init.method).toBe('POST');
    expect(new Headers(calls[0]!.init.headers).get('authorization')).toBe(`Bearer ${SECRET}`);
    expect(RoomNotification.parse(JSON.parse(String(calls[0]!.init.body)))).toEqual({ type: 'task-changed', taskId: TASK, status: 'queued' });
    expect(logs).toEqual([]);
  });

  it('logs failures without the secret and never throws', async () => {
    const logs: string[] = [];
    const deps = { partykitOrigin: 'http://127.0.0.1:1', roomSecret: SECRET, log: (m: string) => logs.push(m) };
    expect(await notifyRoom({ ...deps, fetch: async () => new Response('no', { status: 401 }) }, OWNER, TASK, 'lost')).toBe(false);
    expect(await notifyRoom({ ...deps, fetch: async () => Promise.reject(new TypeError(`fetch failed ${SECRET}`)) }, OWNER, TASK, 'lost')).toBe(false);
    expect(logs).toHaveLength(2);
    for (const line of logs) expect(line).not.toContain(SECRET);
  });
});
