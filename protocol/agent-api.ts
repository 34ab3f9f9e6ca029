// The home agent's HTTP API bodies (Authorization: Bearer <agent token>): capabilities, claim, lease, finish.
import { z } from 'zod';
import { Backend, WorkspaceName, TaskView, TaskStatus, ScreenRows, TaskError } from './task.ts';

/** PUT /api/agent/capabilities: what this agent can run. The Worker refuses tasks for anything else. */
export const AgentCapabilities = z.strictObject({
  workspaces: z.array(WorkspaceName).max(100),
  backends: z.array(Backend).max(Backend.options.length),
  maxConcurrent: z.number().int().min(1).max(64),
});
export type AgentCapabilities = z.infer<typeof AgentCapabilities>;

/** GET /api/workspaces (phone): the union of the owner's agents' capabilities. */
export const WorkspaceList = z.object({
  workspaces: z.array(WorkspaceName),
  backends: z.array(Backend),
  agents: z.array(z.object({ id: z.string(), name: z.string(), lastSeenAt: z.number().int().nullable() })),
});
export type WorkspaceList = z.infer<typeof WorkspaceList>;

/** How long a claim's lease lasts without a heartbeat, in ms. The agent heartbeats every third of this. */
export const LEASE_MS = 60_000;

/** POST /api/agent/tasks/:id/claim → 200 ClaimResponse, or 409 conflict when another claim won. */
export const ClaimResponse = z.object({ task: TaskView, leaseExpiresAt: z.number().int() });
export type ClaimResponse = z.infer<typeof ClaimResponse>;

/** POST /api/agent/tasks/:id/heartbeat → the lease renewed, and the task's status (the agent ends cancelled tasks). */
export const HeartbeatResponse = z.object({
  status: TaskStatus,
  leaseExpiresAt: z.number().int().nullable(),
  /** See TaskView.autoAllowUntil. */
  autoAllowUntil: z.number().int().nullable().optional(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

/** POST /api/agent/tasks/:id/status: a live status change (issue 3: waiting_approval ↔ running). */
export const StatusRequest = z.strictObject({ status: z.enum(['running', 'waiting_approval']) });

/**
 * POST /api/agent/tasks/:id/finish: the task's outcome and final screen. Applied once (409 after). On a task the
 * owner cancelled, only `finalScreen` is stored and the status stays `cancelled`.
 */
export const FinishRequest = z.strictObject({
  status: z.enum(['succeeded', 'failed', 'cancelled', 'timed_out']),
  exitCode: z.number().int().nullable(),
  error: TaskError.nullable(),
  finalScreen: ScreenRows,
});
export type FinishRequest = z.infer<typeof FinishRequest>;
