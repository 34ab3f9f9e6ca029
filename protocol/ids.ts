// Identifier schemas shared by every runtime. Ids are opaque strings minted by the Worker.
import { z } from 'zod';

/** A task id: a UUID minted by the Worker when the task is created. */
export const TaskId = z.uuid();
export type TaskId = z.infer<typeof TaskId>;

/** An owner (user) id: a UUID. One PartyKit room per owner, named by this id. */
export const OwnerId = z.uuid();
export type OwnerId = z.infer<typeof OwnerId>;

/** A paired home agent (device) id: a UUID. */
export const DeviceId = z.uuid();
export type DeviceId = z.infer<typeof DeviceId>;

/** A per-frame sequence number: strictly increasing per task, starting at 1. */
export const Seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export type Seq = z.infer<typeof Seq>;

/** A client-chosen correlation id echoed in replies. */
export const RequestId = z.string().min(1).max(64);
export type RequestId = z.infer<typeof RequestId>;
