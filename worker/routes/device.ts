// Pairing a home agent with the OAuth 2.0 Device Authorization Grant (RFC 8628).
// POST /api/device/code and /api/device/token need no auth; /api/device/approve and /deny need a phone session.
import { Hono, type Context } from 'hono';
import { and, eq, gt, sql } from 'drizzle-orm';
import {
  DEVICE_CODE_GRANT_TYPE,
  DeviceAuthorizationRequest,
  DeviceDecisionRequest,
  DeviceTokenRequest,
  type DeviceAuthorizationResponse,
  type DeviceTokenError,
  type DeviceTokenResponse,
} from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../audit/audit-append.ts';
import { deviceCodes, devices } from '../db/schema.ts';
import { decidePoll, SLOW_DOWN_STEP_SECONDS } from '../device-poll.ts';
import { readJson, readJsonValue } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { reserveUserCodeGuess } from '../rate-limit-rules.ts';
import { requireSession } from '../auth/phone-session.ts';
import { requireRecentPasskey } from '../auth/recent-passkey.ts';
import { hashToken, mintToken } from '../secret-token.ts';
import { formatUserCode, generateUserCode } from '../user-code.ts';

/** The poll interval handed out with a new code, in seconds (RFC 8628 §3.2 default). */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
const DEFAULT_DEVICE_NAME = 'home agent';

export const deviceRoutes = new Hono<AppEnv>();

/**
 * Run `insert` with fresh user codes until one is not taken (user_code is unique across all rows ever made; a
 * clash is about one in 10^10 per stored code). Gives up after 3 clashes by rethrowing.
 */
async function insertWithFreshUserCode(insert: (userCode: string) => Promise<unknown>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const userCode = generateUserCode();
    try {
      await insert(userCode);
      return userCode;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

deviceRoutes.post('/device/code', async (c) => {
  const body = await readJson(c, DeviceAuthorizationRequest);
  const now = c.var.deps.now();
  const deviceCode = mintToken();
  const deviceCodeHash = await hashToken(deviceCode);
  const expiresIn = c.var.config.deviceCodeTtlSeconds;
  const userCode = await insertWithFreshUserCode((code) =>
    c.var.db.insert(deviceCodes).values({
      id: crypto.randomUUID(),
      deviceCodeHash,
      userCode: code,
      deviceName: body.device_name ?? null,
      status: 'pending',
      interval: DEVICE_POLL_INTERVAL_SECONDS,
      createdAt: now,
      expiresAt: now + expiresIn * 1000,
    }),
  );
  const origin = new URL(c.req.url).origin;
  const res: DeviceAuthorizationResponse = {
    device_code: deviceCode,
    user_code: formatUserCode(userCode),
    verification_uri: `${origin}/pair`,
    verification_uri_complete: `${origin}/pair?user_code=${formatUserCode(userCode)}`,
    expires_in: expiresIn,
    interval: DEVICE_POLL_INTERVAL_SECONDS,
  };
  c.header('cache-control', 'no-store');
  return c.json(res);
});

const tokenError = (c: Context, error: DeviceTokenError['error']) => {
  c.header('cache-control', 'no-store');
  const body: DeviceTokenError = { error };
  return c.json(body, 400);
};

/** Parse the token request; RFC 6749 §5.2 errors for anything wrong with it (oversize bodies stay 413). */
async function readTokenRequest(c: Context<AppEnv>): Promise<DeviceTokenRequest | DeviceTokenError['error']> {
  let raw: unknown;
  try {
    raw = await readJsonValue(c);
  } catch (err) {
    if (err instanceof ProblemError && err.status !== 413) return 'invalid_request';
    throw err;
  }
  const parsed = DeviceTokenRequest.safeParse(raw);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  if (bad.has('grant_type') && typeof raw === 'object' && raw !== null && 'grant_type' in raw) {
    return (raw as { grant_type: unknown }).grant_type === DEVICE_CODE_GRANT_TYPE ? 'invalid_request' : 'unsupported_grant_type';
  }
  if (bad.has('client_id')) return 'invalid_client';
  return 'invalid_request';
}

deviceRoutes.post('/device/token', async (c) => {
  const request = await readTokenRequest(c);
  if (typeof request === 'string') return tokenError(c, request);
  const db = c.var.db;
  const now = c.var.deps.now();
  const [code] = await db.select().from(deviceCodes).where(eq(deviceCodes.deviceCodeHash, await hashToken(request.device_code))).limit(1);
  if (!code) return tokenError(c, 'invalid_grant');
  const decision = decidePoll(code, now);
  if (decision === 'invalid_grant' || decision === 'expired_token' || decision === 'access_denied') return tokenError(c, decision);
  const interval = decision === 'slow_down' ? code.interval + SLOW_DOWN_STEP_SECONDS : code.interval;
  await db.update(deviceCodes).set({ lastPolledAt: now, interval }).where(eq(deviceCodes.id, code.id));
  if (decision !== 'issue') return tokenError(c, decision);

  // Redeem once: the conditional UPDATE binds a fresh device id; the INSERT only fires for the row it bound.
  const deviceId = crypto.randomUUID();
  const accessToken = mintToken();
  const tokenHash = await hashToken(accessToken);
  const [redeemed] = await db.batch([
    db
      .update(deviceCodes)
      .set({ status: 'redeemed', deviceId })
      .where(and(eq(deviceCodes.id, code.id), eq(deviceCodes.status, 'approved'), gt(deviceCodes.expiresAt, now)))
      .returning({ id: deviceCodes.id }),
    // Insert-select lists every devices column in table order: id, owner_id, name, token_hash, capabilities,
    // created_at, last_seen_at, revoked_at, offline_pushed_at.
    db.insert(devices).select(
      sql`SELECT ${deviceId}, owner_id, coalesce(device_name, ${DEFAULT_DEVICE_NAME}), ${tokenHash}, NULL, ${now}, ${now}, NULL, NULL
        FROM device_codes WHERE id = ${code.id} AND device_id = ${deviceId} AND owner_id IS NOT NULL`,
    ),
  ]);
  if (redeemed.length === 0) return tokenError(c, 'invalid_grant');
  if (code.ownerId !== null) {
    const detail = { name: code.deviceName ?? DEFAULT_DEVICE_NAME, pairing: code.id };
    await audit(c, { ownerId: code.ownerId, action: 'device-paired', actor: `device:${deviceId}`, subject: deviceId, detail });
  }
  c.header('cache-control', 'no-store');
  const res: DeviceTokenResponse = { access_token: accessToken, token_type: 'Bearer', device_id: deviceId };
  return c.json(res);
});

/**
 * Bind a pending, unexpired user_code to the signed-in owner as approved or denied (404 unknown, 409 decided), and
 * audit it. An unknown or expired code is a wrong guess: 5 per owner (20 per IP) in 10 minutes, then 429 for any code.
 */
async function decide(c: Context<AppEnv>, status: 'approved' | 'denied') {
  const { user_code: userCode } = await readJson(c, DeviceDecisionRequest);
  const guess = await reserveUserCodeGuess(c);
  const db = c.var.db;
  const now = c.var.deps.now();
  const { ownerId, sessionId } = c.var.session;
  const [decided] = await db
    .update(deviceCodes)
    .set({ status, ownerId, decidedAt: now })
    .where(and(eq(deviceCodes.userCode, userCode), eq(deviceCodes.status, 'pending'), gt(deviceCodes.expiresAt, now)))
    .returning({ id: deviceCodes.id, deviceName: deviceCodes.deviceName });
  if (decided) {
    await guess.settle(false);
    const action = status === 'approved' ? 'pairing-approved' : 'pairing-denied';
    await audit(c, { ownerId, action, actor: `session:${sessionId}`, subject: decided.id, detail: { deviceName: decided.deviceName } });
    return c.body(null, 204);
  }
  const [existing] = await db
    .select({ id: deviceCodes.id })
    .from(deviceCodes)
    .where(and(eq(deviceCodes.userCode, userCode), gt(deviceCodes.expiresAt, now)))
    .limit(1);
  await guess.settle(!existing);
  if (!existing) throw new ProblemError(404, 'not-found', { detail: 'unknown or expired code' });
  throw new ProblemError(409, 'conflict', { detail: 'this code was already answered' });
}

// Approving lets a machine run tasks as the owner: it needs a passkey verified in the last 5 minutes (issue 4).
deviceRoutes.post('/device/approve', requireSession, requireRecentPasskey, (c) => decide(c, 'approved'));
deviceRoutes.post('/device/deny', requireSession, (c) => decide(c, 'denied'));
