// `hearth login`: the RFC 8628 device authorization grant against the Worker, ending in a saved token file.
// Polls at the server's `interval` (+5 s on slow_down, §3.5); never prints or logs the token.
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import {
  DEVICE_CODE_GRANT_TYPE,
  DeviceAuthorizationResponse,
  DeviceTokenError,
  DeviceTokenResponse,
  type DeviceTokenRequest,
} from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';
import { writeCredentials } from './credentials.ts';
import { callWorker, type Fetch } from './worker-api.ts';

export type LoginDeps = {
  server: string;
  configDir: string;
  deviceName?: string;
  fetch?: Fetch;
  /** Shown once the code is known: print it for a person, or as JSON for a script. */
  onCode: (code: DeviceAuthorizationResponse) => void;
  /** Wait between polls, in ms (tests may shorten it); default a real sleep. */
  wait?: (ms: number) => Promise<void>;
};

/**
 * Pair this machine: POST /api/device/code, show the code, poll POST /api/device/token until approved, save the
 * token (0600 file, 0700 dir). Throws AgentError `pairing-expired`, `pairing-denied`, `network`, or the
 * Worker's problem code.
 */
export async function deviceLogin(deps: LoginDeps): Promise<{ deviceId: string }> {
  const wait = deps.wait ?? ((ms: number) => sleep(ms));
  const code = await callWorker({ server: deps.server, fetch: deps.fetch }, 'POST', '/api/device/code', DeviceAuthorizationResponse, {
    client_id: 'hearth-agent',
    device_name: (deps.deviceName ?? hostname()).slice(0, 64) || 'hearth-agent',
  });
  deps.onCode(code);
  let intervalMs = code.interval * 1000;
  const deadline = Date.now() + code.expires_in * 1000;
  const request: DeviceTokenRequest = { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: code.device_code, client_id: 'hearth-agent' };
  for (;;) {
    if (Date.now() > deadline) throw new AgentError('pairing-expired', 'the pairing code expired: run hearth login again');
    await wait(intervalMs);
    const outcome = await pollToken(deps, request);
    if (outcome.kind === 'token') {
      writeCredentials(deps.configDir, {
        server: deps.server,
        accessToken: outcome.token.access_token,
        deviceId: outcome.token.device_id,
      });
      return { deviceId: outcome.token.device_id };
    }
    switch (outcome.error) {
      case 'authorization_pending':
        break;
      case 'slow_down':
        intervalMs += 5_000;
        break;
      case 'expired_token':
        throw new AgentError('pairing-expired', 'the pairing code expired: run hearth login again');
      case 'access_denied':
        throw new AgentError('pairing-denied', 'pairing was denied on the phone');
      default:
        throw new AgentError('invalid-request', `the server refused pairing (${outcome.error}): run hearth login again`);
    }
  }
}

type PollOutcome = { kind: 'token'; token: DeviceTokenResponse } | { kind: 'error'; error: DeviceTokenError['error'] };

/** One POST /api/device/token. The RFC 8628 errors come back as 400 {error}, not problem+json. */
async function pollToken(deps: LoginDeps, request: DeviceTokenRequest): Promise<PollOutcome> {
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(`${deps.server}/api/device/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    // RFC 8628 §3.5: a client should keep polling through transient failures; back off like slow_down.
    return { kind: 'error', error: 'slow_down' };
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const token = DeviceTokenResponse.safeParse(json);
    if (token.success) return { kind: 'token', token: token.data };
    throw new AgentError('internal', 'the server sent a malformed token response');
  }
  const error = z.object({ error: z.string() }).pipe(DeviceTokenError).safeParse(json);
  if (error.success) return { kind: 'error', error: error.data.error };
  throw new AgentError('internal', `POST /api/device/token: HTTP ${response.status}`);
}
