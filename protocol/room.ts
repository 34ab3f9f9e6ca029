// Room messages: one discriminated union per direction (PhoneToRoom, RoomToPhone, AgentToRoom, RoomToAgent),
// plus the Worker → room notification body. The first frame of every connection is `hello` with protocolVersion.
import { z } from 'zod';
import { TaskId, Seq, RequestId, OwnerId } from './ids.ts';
import { ErrorCode } from './errors.ts';
import { TaskStatus } from './task.ts';
import { PaneFrame } from './pane.ts';
import { ApprovalId, ApprovalStatus } from './approval.ts';

export const Role = z.enum(['phone', 'agent']);
export type Role = z.infer<typeof Role>;

const Hello = z.object({ type: z.literal('hello'), protocolVersion: z.number().int() });

/**
 * Phone → room. `subscribe` with `lastSeq` (the newest seq the phone applied) resumes after it: the room replays
 * exactly the frames after `lastSeq` when its ring still holds them all, else sends a snapshot; without `lastSeq`, a
 * snapshot (a room holding no screen asks the agents, whose snapshot comes later). The room sends that catch-up before
 * it reads the socket's next frame, so the pong to a `ping` sent right after `subscribe` arrives after the whole
 * catch-up: the phone's mark that its pane is live again.
 */
export const PhoneToRoom = z.discriminatedUnion('type', [
  Hello,
  z.object({ type: z.literal('subscribe'), taskId: TaskId, lastSeq: Seq.optional() }),
  z.object({ type: z.literal('unsubscribe'), taskId: TaskId }),
  z.object({ type: z.literal('snapshot-request'), taskId: TaskId, requestId: RequestId.optional() }),
  z.object({ type: z.literal('ping'), requestId: RequestId.optional() }),
]);
export type PhoneToRoom = z.infer<typeof PhoneToRoom>;

/** Agent → room. Pane frames are acked with `ack` once the room has applied them. */
export const AgentToRoom = z.discriminatedUnion('type', [
  Hello,
  PaneFrame,
  z.object({ type: z.literal('task-closed'), taskId: TaskId }),
  z.object({ type: z.literal('ping'), requestId: RequestId.optional() }),
]);
export type AgentToRoom = z.infer<typeof AgentToRoom>;

const ErrorFrame = z.object({
  type: z.literal('error'),
  code: ErrorCode,
  message: z.string().max(2000),
  requestId: RequestId.optional(),
});
const Welcome = z.object({ type: z.literal('welcome'), protocolVersion: z.number().int(), ownerId: OwnerId });
const Pong = z.object({ type: z.literal('pong'), requestId: RequestId.optional() });

/** Room → phone. `task-changed` tells the phone to refetch the task over HTTP (D1 is the truth). */
export const RoomToPhone = z.discriminatedUnion('type', [
  Welcome,
  PaneFrame,
  z.object({ type: z.literal('task-changed'), taskId: TaskId, status: TaskStatus }),
  z.object({ type: z.literal('approval-changed'), approvalId: ApprovalId, taskId: TaskId, status: ApprovalStatus }),
  z.object({ type: z.literal('agent-presence'), connected: z.number().int().min(0) }),
  ErrorFrame,
  Pong,
]);
export type RoomToPhone = z.infer<typeof RoomToPhone>;

/** Room → agent. `nudge` says: claim queued work or look at a task (cancelled). */
export const RoomToAgent = z.discriminatedUnion('type', [
  Welcome,
  z.object({ type: z.literal('ack'), taskId: TaskId, seq: Seq }),
  z.object({ type: z.literal('snapshot-request'), taskId: TaskId }),
  z.object({
    type: z.literal('nudge'),
    reason: z.enum(['task-queued', 'task-cancelled', 'task-changed', 'approval-decided']),
    taskId: TaskId.optional(),
    approvalId: ApprovalId.optional(),
  }),
  ErrorFrame,
  Pong,
]);
export type RoomToAgent = z.infer<typeof RoomToAgent>;

/**
 * Worker → room, POSTed to the owner's room with `Authorization: Bearer <ROOM_SECRET>`.
 * The room fans `task-changed` / `approval-changed` out to phones and `nudge` to agents, and acts on `revoke`.
 */
export const RoomNotification = z.discriminatedUnion('type', [
  z.object({ type: z.literal('task-changed'), taskId: TaskId, status: TaskStatus }),
  z.object({ type: z.literal('approval-changed'), approvalId: ApprovalId, taskId: TaskId, status: ApprovalStatus }),
  /**
   * A session or device was revoked: the room closes every socket whose ticket carried this `sid` with
   * ROOM_CLOSE_REVOKED (within 5 s, issue 4) and refuses tickets for it for REVOKED_SID_MEMORY_SECONDS.
   */
  z.object({ type: z.literal('revoke'), sid: z.string().min(1).max(64) }),
]);
export type RoomNotification = z.infer<typeof RoomNotification>;

/**
 * Close code (RFC 6455 §7.4.2, application range) of a socket whose session or device was revoked, and of a
 * connection whose ticket names a revoked `sid`. Do not reconnect on it: an agent logs that it was revoked, kills
 * its tasks' processes and exits non-zero (`hearth login` pairs it again); a phone's next ticket request answers
 * 401, so it shows the signed-out screen.
 */
export const ROOM_CLOSE_REVOKED = 4003;

/**
 * How long the room remembers a revoked `sid`, in seconds: two ticket lifetimes (protocol/auth.ts
 * TICKET_TTL_SECONDS = 60), so a ticket minted just before the revocation, even with some clock skew between the
 * Worker and the room, cannot connect after it. Later tickets are never minted: the Worker refuses the revoked
 * session or device.
 */
export const REVOKED_SID_MEMORY_SECONDS = 120;
