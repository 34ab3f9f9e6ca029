// Agent authentication: `Authorization: Bearer <agent token>` → a non-revoked device row of its owner.
// Touches lastSeenAt at most once a minute (more often when AGENT_OFFLINE_PUSH_MS is short) so heartbeats do not turn
// into a write each; clears the agent-offline push mark (offline_pushed_at) when the agent is seen again.
import type { Context, MiddlewareHandler } from 'hono';
import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { AppEnv, AgentIdentity, Db } from '../app-env.ts';
import { devices } from '../db/schema.ts';
import { ProblemError } from '../problem.ts';
import { hashToken } from '../secret-token.ts';
import { parseCapabilities } from '../tasks/agent-capabilities.ts';

/** lastSeenAt is written at most this often, ms, unless the offline time asks for more (seenResolutionMs). */
const SEEN_RESOLUTION_MS = 60_000;

/**
 * How stale lastSeenAt may get before a call rewrites it, ms, for an agent-offline time of `offlineMs`: a minute,
 * or half the offline time when that is shorter. An agent that keeps calling is then never older than the offline
 * time in D1, so the cron never pushes about a live agent (with a fixed minute, a 2 s offline time would).
 */
export const seenResolutionMs = (offlineMs: number): number => Math.min(SEEN_RESOLUTION_MS, Math.floor(offlineMs / 2));

/** The bearer token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(c: Context): string | null {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(c.req.header('authorization') ?? '');
  return match?.[1] ?? null;
}

/**
 * The non-revoked device a token belongs to, with its advertised capabilities, or null. Updates lastSeenAt
 * when older than `resolutionMs` (seenResolutionMs), and whenever an agent-offline push was sent for it (clearing
 * that mark).
 */
export async function findAgent(db: Db, token: string, now: number, resolutionMs: number): Promise<AgentIdentity | null> {
  const rows = await db
    .select({
      deviceId: devices.id,
      ownerId: devices.ownerId,
      lastSeenAt: devices.lastSeenAt,
      offlinePushedAt: devices.offlinePushedAt,
      capabilities: devices.capabilities,
    })
    .from(devices)
    .where(and(eq(devices.tokenHash, await hashToken(token)), isNull(devices.revokedAt)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  if (row.lastSeenAt === null || row.lastSeenAt < now - resolutionMs || row.offlinePushedAt !== null) {
    await db
      .update(devices)
      .set({ lastSeenAt: now, offlinePushedAt: null })
      .where(
        and(
          eq(devices.id, row.deviceId),
          or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, now - resolutionMs), isNotNull(devices.offlinePushedAt)),
        ),
      );
  }
  return { deviceId: row.deviceId, ownerId: row.ownerId, capabilities: parseCapabilities(row.capabilities) };
}

/**
 * Middleware: require an agent bearer token; sets `c.var.agent`. 401 without a valid one. Idempotent: route
 * families mounted on overlapping paths may both use it, and the token is looked up once.
 */
export const requireAgent: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.agent !== undefined) return next();
  const token = bearerToken(c);
  const agent = token ? await findAgent(c.var.db, token, c.var.deps.now(), seenResolutionMs(c.var.config.agentOfflinePushMs)) : null;
  if (!agent) throw new ProblemError(401, 'unauthenticated');
  c.set('agent', agent);
  await next();
};
