// The home agent's HTTP API bodies (Authorization: Bearer <agent token>): capabilities, claim, lease, finish.
import { z } from 'zod';
import { Backend, WorkspaceName, TaskView, TaskStatus, ScreenRows, TaskError } from './task.ts';
import { MAX_KEEP_OPEN_MS } from './follow-up.ts';

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
 * POST /api/agent/tasks/:id/finish: the task's outcome and final screen. Applied once per turn (409 after). On a task
 * the owner cancelled, only `finalScreen` is stored and the status stays `cancelled`. `keepOpenMs` (succeeded AI CLI
 * turns only, 1 ms – 24 h): the agent keeps the idle CLI window open that long for a follow-up; the Worker sets
 * TaskView.openUntil = its now + keepOpenMs. Absent or 0: the window is closed (400 with any other status).
 */
export const FinishRequest = z
  .strictObject({
    status: z.enum(['succeeded', 'failed', 'cancelled', 'timed_out']),
    exitCode: z.number().int().nullable(),
    error: TaskError.nullable(),
    finalScreen: ScreenRows,
    keepOpenMs: z.number().int().min(0).max(MAX_KEEP_OPEN_MS).optional(),
  })
  .refine((f) => !f.keepOpenMs || f.status === 'succeeded', {
    message: 'only a succeeded turn keeps its window open',
    path: ['keepOpenMs'],
  });
export type FinishRequest = z.infer<typeof FinishRequest>;

// POST /api/agent/tasks/:id/close (no body): the agent is closing the idle window of a succeeded task it holds.
// 200 TaskView with openUntil null (also when it was already closed); 409 when a follow-up reopened the task first
// (status running): the agent keeps the window and types the follow-up instead; 404 not held by this agent.
//
// GET /api/agent/follow-ups → FollowUpList. POST /api/agent/follow-ups/:id/deliver (no body): take a pending
// follow-up once, to type it: 200 FollowUpView (delivered); 409 already delivered; 404 unknown or not this agent's.
