// Reading the owner's paired agents and what they advertised (AgentCapabilities JSON, parsed on read), and
// the one rule of which tasks an agent may see and claim: only those whose workspace and backend it offers.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { AgentCapabilities } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { devices, tasks } from '../db/schema.ts';

export type OwnerAgent = {
  id: string;
  name: string;
  lastSeenAt: number | null;
  /** Null until the agent has sent PUT /api/agent/capabilities (or when the stored JSON does not parse). */
  capabilities: AgentCapabilities | null;
};

/** Stored capabilities JSON as AgentCapabilities; null when absent or not valid (an agent offering nothing). */
export function parseCapabilities(text: string | null): AgentCapabilities | null {
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

/** Whether an agent with `caps` offers both the task's workspace and its backend. Null caps offer nothing. */
export function offers(caps: AgentCapabilities | null, task: { workspace: string; backend: string }): boolean {
  return caps !== null && caps.workspaces.includes(task.workspace) && caps.backends.some((b) => b === task.backend);
}

/**
 * The SQL form of `offers` over the tasks table: `workspace IN (…) AND backend IN (…)`, or a condition that
 * matches nothing when the agent has not advertised (or advertised an empty list).
 */
export function runnableBy(caps: AgentCapabilities | null): SQL {
  if (caps === null || caps.workspaces.length === 0 || caps.backends.length === 0) return sql`0`;
  return and(inArray(tasks.workspace, caps.workspaces), inArray(tasks.backend, caps.backends)) ?? sql`0`;
}
