// Security suite, pairing codes: 10 000 random well-formed user_codes sent to POST /api/device/approve by signed-in
// owners with a freshly verified passkey — 0 approve anything. The wrong-code limits (5 per owner, 20 per IP in 10
// minutes) turn all but the first few into 429; real pending codes made before the guessing stay pending.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceAuthorizationResponse, USER_CODE_ALPHABET } from '../../protocol/index.ts';
import { WRONG_USER_CODES_PER_IP, WRONG_USER_CODES_PER_OWNER } from '../../worker/rate-limit-rules.ts';
import { bump, recordFigure, tally } from '../support/security-figures.ts';
import { openD1, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient } from '../support/worker-http.ts';

const GUESSES = 10_000;
const OWNERS = 4;
const IN_FLIGHT = 50;

let worker: RunningWorker;
let api: ReturnType<typeof apiClient>;
let cookies: string[];

beforeAll(async () => {
  worker = await startWorker();
  api = apiClient(worker.url);
  cookies = [];
  for (let i = 0; i < OWNERS; i++) cookies.push(await signIn(worker.url, worker.setupSecret, `guesser-${i}`));
});
afterAll(async () => {
  await worker?.stop();
});

/** A random code in the display form XXXX-XXXX from the 20-letter alphabet. */
const randomCode = (): string => {
  const letters = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
};

describe('user_code guessing', () => {
  it(`approves nothing in ${GUESSES} random guesses spread over ${OWNERS} owners`, async () => {
    const pending: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.post('/api/device/code', { client_id: 'hearth-agent', device_name: `waiting-${i}` });
      pending.push(DeviceAuthorizationResponse.parse(await res.json()).user_code);
    }
    const statuses = new Map<number, number>();
    let next = 0;
    const guess = async (): Promise<void> => {
      while (next < GUESSES) {
        const i = next++;
        const res = await api.post('/api/device/approve', { user_code: randomCode() }, cookies[i % OWNERS]);
        await res.body?.cancel();
        bump(statuses, res.status);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, guess));

    const count = (status: number) => statuses.get(status) ?? 0;
    const successes = [...statuses].filter(([s]) => s < 400).reduce((n, [, c]) => n + c, 0);
    recordFigure({
      check: 'random user_code guesses at /api/device/approve',
      attempts: GUESSES,
      successes,
      detail: `${OWNERS} owners, one IP; ${tally(statuses)} (404 = looked up and unknown, 429 = wrong-code limit)`,
    });
    expect(successes).toBe(0);
    expect(count(404) + count(429)).toBe(GUESSES);
    // The lookups happened, and no more than the limits allow.
    expect(count(404)).toBeGreaterThan(0);
    expect(count(404)).toBeLessThanOrEqual(Math.min(OWNERS * WRONG_USER_CODES_PER_OWNER.limit, WRONG_USER_CODES_PER_IP.limit));
    const d1 = await openD1(worker);
    try {
      const rows = d1.prepare('SELECT user_code AS code, status, owner_id AS owner FROM device_codes').all();
      expect(rows).toEqual(pending.map((code) => ({ code: code.replace('-', ''), status: 'pending', owner: null })));
    } finally {
      d1.close();
    }
  });
});
