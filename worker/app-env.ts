// The Hono environment type shared by every route: raw bindings in, parsed config and scoped identities out.
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { AgentCapabilities } from '../protocol/index.ts';
import type { schema } from './db/schema.ts';
import type { Config } from './env.ts';

export type Db = DrizzleD1Database<typeof schema>;

/**
 * Who a phone session belongs to (set by the session middleware): its owner, the passkey it signed in with, and
 * when it last proved a passkey (epoch ms; sensitive actions need it recent).
 */
export type PhoneSession = { sessionId: string; ownerId: string; name: string; credentialId: string | null; passkeyVerifiedAt: number | null };
/**
 * Which paired agent is calling (set by the agent-bearer middleware), with what it last advertised
 * (PUT /api/agent/capabilities; null until then: such an agent sees and claims no task).
 */
export type AgentIdentity = { deviceId: string; ownerId: string; capabilities: AgentCapabilities | null };

/** Things the app needs from the outside world, injectable for tests. */
export type AppDeps = {
  /** Used for room notifications and push deliveries. */
  fetch: typeof fetch;
  /** Epoch ms. */
  now: () => number;
};

export type AppEnv = {
  Bindings: Record<string, unknown>;
  Variables: {
    requestId: string;
    config: Config;
    db: Db;
    deps: AppDeps;
    session: PhoneSession;
    agent: AgentIdentity;
  };
};
