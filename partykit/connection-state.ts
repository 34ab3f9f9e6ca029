// What the room remembers about one socket, kept with connection.setState so it survives hibernation:
// who it is (from the verified ticket), whether it said hello, and which tasks a phone watches.
import { z } from 'zod';
import { Role, TaskId } from '../protocol/index.ts';

/** Most tasks one phone may watch at once; subscribing past this drops the oldest subscription. */
export const MAX_SUBSCRIPTIONS = 32;

export const ConnState = z.object({
  role: Role,
  sid: z.string(),
  hello: z.boolean(),
  subscriptions: z.array(TaskId).max(MAX_SUBSCRIPTIONS),
});
export type ConnState = z.infer<typeof ConnState>;

/** Parse a connection's stored state; null when it is missing or not ours (treat the socket as unauthenticated). */
export function readConnState(state: unknown): ConnState | null {
  const parsed = ConnState.safeParse(state);
  return parsed.success ? parsed.data : null;
}

/** `state` with `taskId` watched (moved to the newest position), the oldest dropped past MAX_SUBSCRIPTIONS. */
export function withSubscription(state: ConnState, taskId: string): ConnState {
  const subscriptions = [...state.subscriptions.filter((t) => t !== taskId), taskId].slice(-MAX_SUBSCRIPTIONS);
  return { ...state, subscriptions };
}

/** `state` without `taskId` watched. */
export function withoutSubscription(state: ConnState, taskId: string): ConnState {
  return { ...state, subscriptions: state.subscriptions.filter((t) => t !== taskId) };
}
