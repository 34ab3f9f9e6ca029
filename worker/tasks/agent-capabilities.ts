// Reading the owner's paired agents and what they advertised (AgentCapabilities JSON, parsed on read).
import { and, eq, isNull } from 'drizzle-orm';
import { AgentCapabilities } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { devices } from '../db/schema.ts';

export type OwnerAgent = {
  id: string;
  name: string;
  lastSeenAt: number | null;
  /** Null until the agent has sent PUT /api/agent/capabilities (or when the stored JSON does not parse). */
  capabilities: AgentCapabilities | null;
};

function parseCapabilities(text: string | null): AgentCapabilities | null {
  if (text === null) return null;
  try {
    const parsed = AgentCapabilities.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The owner's non-revoked agents, oldest first. */
export async function ownerAgents(db: Db, ownerId: string): Promise<OwnerAgent[]> {
  const rows = await db
    .select({ id: devices.id, name: devices.name, lastSeenAt: devices.lastSeenAt, capabilities: devices.capabilities })
    .from(devices)
    .where(and(eq(devices.ownerId, ownerId), isNull(devices.revokedAt)))
    .orderBy(devices.createdAt);
  return rows.map((r) => ({ ...r, capabilities: parseCapabilities(r.capabilities) }));
}

/**
 * Why no agent could run `workspace` with `backend`, or null when one can: `no-agent` (none paired),
 * `unknown-workspace` (no agent advertises it), `unknown-backend` (none with that workspace has the backend).
 */
export function whyUnrunnable(agents: OwnerAgent[], workspace: string, backend: string): 'no-agent' | 'unknown-workspace' | 'unknown-backend' | null {
  if (agents.length === 0) return 'no-agent';
  const withWorkspace = agents.filter((a) => a.capabilities?.workspaces.includes(workspace));
  if (withWorkspace.length === 0) return 'unknown-workspace';
  if (!withWorkspace.some((a) => a.capabilities?.backends.some((b) => b === backend))) return 'unknown-backend';
  return null;
}
