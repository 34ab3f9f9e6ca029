// Talking to a running Worker in tests: a small fetch client (cookie or bearer auth), a problem+json check, a
// poll-until helper, and a stand-in room endpoint that records the RoomNotifications the Worker POSTs.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { expect } from 'vitest';
import { Problem, RoomNotification } from '../../protocol/index.ts';

export type Recorded = { path: string; authorization: string | undefined; body: RoomNotification };

/**
 * A local HTTP server on 127.0.0.1:0 that records every RoomNotification POSTed to it. `failNext(status, n)`
 * answers the next `n` notifications with that status (to exercise the Worker's retries); `attempts` records
 * those too, `seen` only the accepted ones.
 */
export async function startRecorder() {
  const seen: Recorded[] = [];
  const attempts: RoomNotification[] = [];
  let failing = { status: 503, n: 0 };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => {
      const body = RoomNotification.parse(JSON.parse(data));
      attempts.push(body);
      if (failing.n > 0) {
        failing.n--;
        res.statusCode = failing.status;
        res.end('room unavailable');
        return;
      }
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      res.end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('recorder has no port');
  return {
    host: `127.0.0.1:${address.port}`,
    seen,
    attempts,
    /** The accepted notification bodies so far. */
    bodies: () => seen.map((r) => r.body),
    failNext: (status: number, n: number) => {
      failing = { status, n };
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** Wait until `check` passes (notifications are sent after the response, via waitUntil). */
export async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * A tiny client for one Worker. `auth` is a cookie pair (`hearth_session=…`) or `Bearer …`. Like the phone app in a
 * browser, a cookie-authenticated write carries the Worker's own Origin unless `extra`/`headers` name another, and
 * `post` declares JSON even without a body (the Worker refuses other writes: 403 / 415).
 */
export function apiClient(base: string) {
  const headersFor = (method: string, auth?: string, extra: Record<string, string> = {}): Record<string, string> => {
    const h: Record<string, string> = {};
    if (auth?.startsWith('Bearer ')) h.authorization = auth;
    else if (auth) {
      h.cookie = auth;
      if (method !== 'GET' && method !== 'HEAD') h.origin = base;
    }
    return { ...h, ...extra };
  };
  return {
    get: (path: string, auth?: string) => fetch(`${base}${path}`, { headers: headersFor('GET', auth) }),
    post: (path: string, body?: unknown, auth?: string, extra: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: headersFor('POST', auth, { 'content-type': 'application/json', ...extra }),
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    put: (path: string, body: unknown, auth?: string) =>
      fetch(`${base}${path}`, { method: 'PUT', headers: headersFor('PUT', auth, { 'content-type': 'application/json' }), body: JSON.stringify(body) }),
    /** A request with a hand-made body and headers (POST unless `method` says otherwise). */
    raw: (path: string, init: RequestInit & { auth?: string }) => {
      const { auth, headers, ...rest } = init;
      const method = init.method ?? 'POST';
      return fetch(`${base}${path}`, { ...rest, method, headers: headersFor(method, auth, headers as Record<string, string>) });
    },
  };
}

/** Parse a problem response and check its status and code. */
export async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const problem = Problem.parse(await res.json());
  expect({ status: res.status, code: problem.code, bodyStatus: problem.status }).toEqual({ status, code, bodyStatus: status });
  return problem;
}

/**
 * A JSON call as the signed-in owner (`cookie`) from the app's own page: like a browser, it sends the page's Origin
 * on anything but GET/HEAD (phone room tickets are bound to it). Throws with the status and body on a non-2xx answer.
 */
export async function ownerCall(origin: string, cookie: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      cookie,
      ...(method === 'GET' || method === 'HEAD' ? {} : { origin, 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
