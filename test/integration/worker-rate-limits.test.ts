// Rate limits against real workerd + real D1: sign-in and setup ceremonies and new pairing codes per IP, wrong
// user_codes per owner (then even a right one is refused) and per IP, task submissions per owner and per IP; each
// refusal a 429 `rate-limited` with Retry-After; old windows pruned by the cron. Every request here comes from
// 127.0.0.1, so the per-IP windows are shared: each test reads its window's count from D1 before filling it.
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationOptionsResponse, DeviceAuthorizationResponse, Me, USER_CODE_ALPHABET } from '../../protocol/index.ts';
import { signInWithPasskey } from '../../scripts/passkey-client.ts';
import {
  DEVICE_CODE_PER_IP,
  SIGN_IN_PER_IP,
  SIGN_IN_PER_OWNER,
  TASK_SUBMIT_PER_IP,
  TASK_SUBMIT_PER_OWNER,
  WRONG_USER_CODES_PER_IP,
  WRONG_USER_CODES_PER_OWNER,
} from '../../worker/rate-limit-rules.ts';
import { openD1, pairAgent, signIn, signInOwner, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient, expectProblem } from '../support/worker-http.ts';

const IP = 'ip:127.0.0.1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const windowStart = (now: number, windowMs: number) => now - (now % windowMs);
/** "60 a minute", "30 per 10 minutes". */
const allowed = (r: { limit: number; windowMs: number }) => `${r.limit} ${r.windowMs === 60_000 ? 'a minute' : `per ${r.windowMs / 60_000} minutes`}`;

/** The test side of one Worker's limits: window counts read from its D1, and a wait for room in a window. */
function limits(worker: () => RunningWorker) {
  const count = async (key: string, windowMs: number): Promise<number> => {
    const d1 = await openD1(worker());
    try {
      const row = d1.prepare('SELECT count FROM rate_limits WHERE key = ? AND window_start = ?').get(key, windowStart(Date.now(), windowMs)) as
        | { count: number }
        | undefined;
      return row?.count ?? 0;
    } finally {
      d1.close();
    }
  };
  return {
    count,
    /** Wait, when less than `needMs` is left in the current window of `windowMs`, for the next one to start. */
    room: async (windowMs: number, needMs: number): Promise<void> => {
      const left = windowStart(Date.now(), windowMs) + windowMs - Date.now();
      if (left < needMs) await sleep(left + 50);
    },
  };
}

/** A 429 `rate-limited` whose Retry-After lies within the window, in whole seconds. */
async function expectRateLimited(res: Response, windowMs: number): Promise<void> {
  await expectProblem(res, 429, 'rate-limited');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowMs / 1000, `Retry-After ${retryAfter}`).toBe(true);
}

describe('rate limits per IP: sign-in and pairing codes', () => {
  let worker: RunningWorker;
  let api: ReturnType<typeof apiClient>;
  const lim = limits(() => worker);

  beforeAll(async () => {
    worker = await startWorker();
    api = apiClient(worker.url);
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it(`lets one IP make sign-in and setup calls up to ${allowed(SIGN_IN_PER_IP)}, then answers 429 on both`, async () => {
    await lim.room(SIGN_IN_PER_IP.windowMs, 20_000);
    const left = SIGN_IN_PER_IP.limit - (await lim.count(`sign-in:${IP}`, SIGN_IN_PER_IP.windowMs));
    for (let i = 0; i < left; i++) {
      const res = i % 2 === 0 ? await api.post('/api/auth/passkey/options', {}) : await api.post('/api/setup/passkey/options', { token: 'x'.repeat(43) });
      expect(res.status, `call ${i + 1}`).toBe(i % 2 === 0 ? 200 : 401);
    }
    await expectRateLimited(await api.post('/api/auth/passkey/options', {}), SIGN_IN_PER_IP.windowMs);
    await expectRateLimited(await api.post('/api/auth/passkey', { challengeId: randomUUID(), credential: {} }), SIGN_IN_PER_IP.windowMs);
    await expectRateLimited(await api.post('/api/setup/link', { owner: 'mallory' }, `Bearer ${worker.setupSecret}`), SIGN_IN_PER_IP.windowMs);
    expect(await lim.count(`sign-in:${IP}`, SIGN_IN_PER_IP.windowMs)).toBe(SIGN_IN_PER_IP.limit);
    // Other routes keep their own windows.
    await expectProblem(await api.get('/api/me'), 401, 'unauthenticated');
    expect((await api.post('/api/device/code', { client_id: 'hearth-agent' })).status).toBe(200);
  });

  it(`lets one IP ask for pairing codes up to ${allowed(DEVICE_CODE_PER_IP)}, then answers 429`, async () => {
    await lim.room(DEVICE_CODE_PER_IP.windowMs, 20_000);
    const left = DEVICE_CODE_PER_IP.limit - (await lim.count(`device-code:${IP}`, DEVICE_CODE_PER_IP.windowMs));
    for (let i = 0; i < left; i++) expect((await api.post('/api/device/code', { client_id: 'hearth-agent' })).status).toBe(200);
    await expectRateLimited(await api.post('/api/device/code', { client_id: 'hearth-agent' }), DEVICE_CODE_PER_IP.windowMs);
    // Polling for a token is not a new code.
    const poll = await api.post('/api/device/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'y'.repeat(43), client_id: 'hearth-agent' });
    expect(poll.status).toBe(400);
  });

  it('prunes windows that ended longer ago than the longest window on the cron', async () => {
    const now = Date.now();
    const d1 = await openD1(worker);
    try {
      d1.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 3)').run('sign-in:ip:203.0.113.9', now - 2 * 3_600_000);
      d1.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 3)').run('device-code:ip:203.0.113.9', windowStart(now, 600_000));
    } finally {
      d1.close();
    }
    expect((await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
    const after = await openD1(worker);
    try {
      const keys = (after.prepare("SELECT key FROM rate_limits WHERE key LIKE '%203.0.113.9'").all() as { key: string }[]).map((r) => r.key);
      expect(keys).toEqual(['device-code:ip:203.0.113.9']);
    } finally {
      after.close();
    }
  });
});

describe('rate limits per owner and IP: wrong user_codes and task submissions', () => {
  let worker: RunningWorker;
  let api: ReturnType<typeof apiClient>;
  const lim = limits(() => worker);
  const newCode = async (): Promise<string> =>
    DeviceAuthorizationResponse.parse(await (await api.post('/api/device/code', { client_id: 'hearth-agent' })).json()).user_code;
  /** A well-formed user_code nobody was given (one in 20^8 that it was). */
  const wrongCode = () => Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
  const owner = (name: string) => signIn(worker.url, worker.setupSecret, `${name}-${randomUUID().slice(0, 8)}`);

  let gina: { cookie: string; ownerId: string };

  beforeAll(async () => {
    worker = await startWorker();
    api = apiClient(worker.url);
    // Paired before the wrong-code tests fill this IP's window (a decision is refused then, even a right one).
    const cookie = await owner('gina');
    const agent = await pairAgent(worker.url, cookie, 'gina-laptop');
    expect((await api.put('/api/agent/capabilities', { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 1 }, `Bearer ${agent.token}`)).status).toBe(200);
    gina = { cookie, ownerId: Me.parse(await (await api.get('/api/me', cookie)).json()).ownerId };
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it(`refuses an owner's pairing decisions after ${WRONG_USER_CODES_PER_OWNER.limit} wrong user_codes, even with a right code; right and answered codes do not count`, async () => {
    await lim.room(WRONG_USER_CODES_PER_OWNER.windowMs, 20_000);
    const dave = await owner('dave');
    const right = await newCode();
    expect((await api.post('/api/device/approve', { user_code: right }, dave)).status).toBe(204);
    await expectProblem(await api.post('/api/device/approve', { user_code: right }, dave), 409, 'conflict');
    for (let i = 0; i < WRONG_USER_CODES_PER_OWNER.limit; i++) {
      await expectProblem(await api.post(i % 2 === 0 ? '/api/device/approve' : '/api/device/deny', { user_code: wrongCode() }, dave), 404, 'not-found');
    }
    const next = await newCode();
    await expectRateLimited(await api.post('/api/device/approve', { user_code: next }, dave), WRONG_USER_CODES_PER_OWNER.windowMs);
    await expectRateLimited(await api.post('/api/device/deny', { user_code: next }, dave), WRONG_USER_CODES_PER_OWNER.windowMs);
    // Another owner on the same IP is not held back, and the code dave could not answer is still pending.
    const erin = await owner('erin');
    expect((await api.post('/api/device/approve', { user_code: next }, erin)).status).toBe(204);
  });

  it(`refuses pairing decisions from an IP after ${WRONG_USER_CODES_PER_IP.limit} wrong user_codes, whichever owner sends them`, async () => {
    await lim.room(WRONG_USER_CODES_PER_IP.windowMs, 20_000);
    let left = WRONG_USER_CODES_PER_IP.limit - (await lim.count(`wrong-user-code:${IP}`, WRONG_USER_CODES_PER_IP.windowMs));
    while (left > 0) {
      const guesser = await owner('guesser');
      for (let i = 0; i < Math.min(left, WRONG_USER_CODES_PER_OWNER.limit); i++) {
        await expectProblem(await api.post('/api/device/deny', { user_code: wrongCode() }, guesser), 404, 'not-found');
      }
      left -= WRONG_USER_CODES_PER_OWNER.limit;
    }
    const fresh = await owner('fresh');
    await expectRateLimited(await api.post('/api/device/approve', { user_code: await newCode() }, fresh), WRONG_USER_CODES_PER_IP.windowMs);
  });

  it(`limits task submissions (tasks and follow-ups together) to ${allowed(TASK_SUBMIT_PER_OWNER)} per owner and ${allowed(TASK_SUBMIT_PER_IP)} per IP`, async () => {
    await lim.room(TASK_SUBMIT_PER_OWNER.windowMs, 25_000);
    const task = { workspace: 'repo', backend: 'shell', prompt: 'true' };
    const left = TASK_SUBMIT_PER_OWNER.limit - (await lim.count(`task-submit:owner:${gina.ownerId}`, TASK_SUBMIT_PER_OWNER.windowMs));
    for (let i = 0; i < left; i++) expect((await api.post('/api/tasks', task, gina.cookie)).status).toBe(201);
    await expectRateLimited(await api.post('/api/tasks', task, gina.cookie), TASK_SUBMIT_PER_OWNER.windowMs);
    await expectRateLimited(await api.post(`/api/tasks/${randomUUID()}/follow-ups`, { id: randomUUID(), text: 'and then?' }, gina.cookie), TASK_SUBMIT_PER_OWNER.windowMs);
    const d1 = await openD1(worker);
    try {
      expect(d1.prepare('SELECT count(*) AS n FROM tasks WHERE owner_id = ?').get(gina.ownerId)).toEqual({ n: left });
    } finally {
      d1.close();
    }

    // Another owner still submits (no agent: 422, but counted); once the IP's window is full, every owner is refused.
    const others = [await owner('henry'), await owner('ivan')];
    let ipLeft = TASK_SUBMIT_PER_IP.limit - (await lim.count(`task-submit:${IP}`, TASK_SUBMIT_PER_IP.windowMs));
    expect(ipLeft).toBeLessThanOrEqual(others.length * (TASK_SUBMIT_PER_OWNER.limit - 1));
    for (const other of others) {
      for (let i = 0; i < TASK_SUBMIT_PER_OWNER.limit - 1 && ipLeft > 0; i++, ipLeft--) {
        await expectProblem(await api.post('/api/tasks', task, other), 422, 'no-agent');
      }
    }
    await expectRateLimited(await api.post('/api/tasks', task, await owner('late')), TASK_SUBMIT_PER_IP.windowMs);
    await expectRateLimited(await api.post('/api/tasks', task, others[0]!), TASK_SUBMIT_PER_IP.windowMs);
  });
});

describe('rate limits per owner: passkey sign-in', () => {
  let worker: RunningWorker;
  const lim = limits(() => worker);

  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it(`counts an owner's passkey assertions, ${allowed(SIGN_IN_PER_OWNER)}, before the signature is checked`, async () => {
    await lim.room(SIGN_IN_PER_OWNER.windowMs, 20_000);
    const { cookie, authenticator } = await signInOwner(worker.url, worker.setupSecret, 'olga');
    const { ownerId } = Me.parse(await (await apiClient(worker.url).get('/api/me', cookie)).json());
    const key = `sign-in-owner:owner:${ownerId}`;
    // Fill the owner's window but one, as 29 earlier sign-ins would have (the per-IP window would refuse those first).
    const d1 = await openD1(worker);
    try {
      d1.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?)').run(
        key,
        windowStart(Date.now(), SIGN_IN_PER_OWNER.windowMs),
        SIGN_IN_PER_OWNER.limit - 1,
      );
    } finally {
      d1.close();
    }
    expect(await signInWithPasskey(worker.url, authenticator)).toMatch(/^hearth_session=/);
    expect(await lim.count(key, SIGN_IN_PER_OWNER.windowMs)).toBe(SIGN_IN_PER_OWNER.limit);
    // The next assertion of this owner's passkey is refused before its signature counts, valid or not.
    const started = await apiClient(worker.url).post('/api/auth/passkey/options', {});
    const { challengeId, options } = AuthenticationOptionsResponse.parse(await started.json());
    const credential = authenticator.get(options, worker.url);
    await expectRateLimited(await apiClient(worker.url).post('/api/auth/passkey', { challengeId, credential }), SIGN_IN_PER_OWNER.windowMs);
    // Another owner on the same IP signs in.
    const other = await signInOwner(worker.url, worker.setupSecret, 'pavel');
    expect(await signInWithPasskey(worker.url, other.authenticator)).toMatch(/^hearth_session=/);
  });
});
