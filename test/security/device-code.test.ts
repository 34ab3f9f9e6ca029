// Security suite, device_code redemption (RFC 8628 §3.4–3.5): a redeemed device_code redeemed again gets an error,
// and N parallel token requests for one approved code get exactly one token; in both cases D1 holds exactly one
// device (token) row and one `device-paired` entry for that pairing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT_TYPE, DeviceAuthorizationResponse } from '../../protocol/index.ts';
import { bump, recordFigure, tally } from '../support/security-figures.ts';
import { openD1, pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient } from '../support/worker-http.ts';

const PARALLEL = 20;
const AGAIN = 5;
let worker: RunningWorker;
let api: ReturnType<typeof apiClient>;
let cookie: string;

beforeAll(async () => {
  worker = await startWorker();
  api = apiClient(worker.url);
  cookie = await signIn(worker.url, worker.setupSecret, 'pairing-owner');
});
afterAll(async () => {
  await worker?.stop();
});

/** One token request for `deviceCode`: its status and `error` (RFC 8628 §3.5), or 'token' when it issued one. */
async function redeem(deviceCode: string): Promise<string> {
  const res = await api.post('/api/device/token', { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode, client_id: 'hearth-agent' });
  const body = (await res.json()) as { error?: unknown; access_token?: unknown };
  return res.status === 200 && typeof body.access_token === 'string' ? 'token' : `${res.status} ${String(body.error)}`;
}

/** Device rows and `device-paired` audit entries ever made for the pairing of `deviceName`. */
async function issuedFor(deviceName: string): Promise<{ devices: number; audited: number }> {
  const d1 = await openD1(worker);
  try {
    const id = (d1.prepare('SELECT id FROM device_codes WHERE device_name = ?').get(deviceName) as { id: string }).id;
    const devices = (d1.prepare('SELECT count(*) AS n FROM devices WHERE name = ?').get(deviceName) as { n: number }).n;
    const audited = (d1.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'device-paired' AND json_extract(detail, '$.pairing') = ?").get(id) as { n: number }).n;
    return { devices, audited };
  } finally {
    d1.close();
  }
}

describe('device_code redemption', () => {
  it('refuses a redeemed device_code redeemed again; one device row was ever issued for it', async () => {
    const { deviceCode } = await pairAgent(worker.url, cookie, 'redeemed-once');
    const answers = new Map<string, number>();
    for (let i = 0; i < AGAIN; i++) bump(answers, await redeem(deviceCode));
    const issued = await issuedFor('redeemed-once');
    recordFigure({ check: 'redeemed device_code redeemed again', attempts: AGAIN, successes: answers.get('token') ?? 0, detail: `${tally(answers)}; device rows ever: ${issued.devices}` });
    expect(answers).toEqual(new Map([['400 invalid_grant', AGAIN]]));
    expect(issued).toEqual({ devices: 1, audited: 1 });
  });

  it(`issues exactly one token to ${PARALLEL} parallel token requests for one approved code`, async () => {
    const code = DeviceAuthorizationResponse.parse(await (await api.post('/api/device/code', { client_id: 'hearth-agent', device_name: 'raced' })).json());
    expect((await api.post('/api/device/approve', { user_code: code.user_code }, cookie)).status).toBe(204);
    const answers = new Map<string, number>();
    for (const answer of await Promise.all(Array.from({ length: PARALLEL }, () => redeem(code.device_code)))) bump(answers, answer);
    const issued = await issuedFor('raced');
    recordFigure({
      check: `${PARALLEL} parallel redemptions of one approved code`,
      attempts: PARALLEL,
      successes: Math.max(0, (answers.get('token') ?? 0) - 1),
      detail: `${tally(answers)}; device rows ever: ${issued.devices} (successes = tokens beyond the one)`,
    });
    expect(answers.get('token')).toBe(1);
    expect(issued).toEqual({ devices: 1, audited: 1 });
  });
});
