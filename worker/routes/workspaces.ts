// What the owner's agents can run: agents advertise (PUT /api/agent/capabilities), phones read the union
// (GET /api/workspaces).
import { Hono } from 'hono';
import { and, eq } from 'drizzle-orm';
import { AgentCapabilities, type WorkspaceList, type Backend } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { devices } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { requireSession } from '../auth/phone-session.ts';
import { ownerAgents } from '../tasks/agent-capabilities.ts';

export const workspaceRoutes = new Hono<AppEnv>();

workspaceRoutes.put('/agent/capabilities', requireAgent, async (c) => {
  const caps = await readJson(c, AgentCapabilities);
  const { deviceId, ownerId } = c.var.agent;
  await c.var.db
    .update(devices)
    .set({ capabilities: JSON.stringify(caps) })
    .where(and(eq(devices.id, deviceId), eq(devices.ownerId, ownerId)));
  return c.json(caps);
});

workspaceRoutes.get('/workspaces', requireSession, async (c) => {
  const agents = await ownerAgents(c.var.db, c.var.session.ownerId);
  const workspaces = new Set<string>();
  const backends = new Set<Backend>();
  for (const a of agents) {
    a.capabilities?.workspaces.forEach((w) => workspaces.add(w));
    a.capabilities?.backends.forEach((b) => backends.add(b));
  }
  const body: WorkspaceList = {
    workspaces: [...workspaces].sort(),
    backends: [...backends].sort(),
    agents: agents.map((a) => ({ id: a.id, name: a.name, lastSeenAt: a.lastSeenAt })),
  };
  return c.json(body);
});
