// The room's configuration, parsed from the untyped `room.env` / `lobby.env` (`partykit dev --var KEY=VALUE`,
// partykit.json `vars`, or `partykit env add`). The only module that reads the environment; never a default secret.
import { z } from 'zod';

/**
 * ROOM_SECRET: the bearer of Worker → room notifications. TICKET_SECRET: the HMAC key of room tickets. Both shared
 * with the Worker, at least 32 characters each, and kept apart so a leak of one does not grant the other.
 */
export const RoomEnv = z.object({
  ROOM_SECRET: z.string().min(32, 'ROOM_SECRET must be at least 32 characters'),
  TICKET_SECRET: z.string().min(32, 'TICKET_SECRET must be at least 32 characters'),
}).refine((e) => e.ROOM_SECRET !== e.TICKET_SECRET, 'TICKET_SECRET must differ from ROOM_SECRET');
export type RoomEnv = z.infer<typeof RoomEnv>;

/** Parse the room's env. Returns null when it is invalid, so callers fail closed (refuse, never guess). */
export function readRoomEnv(env: Record<string, unknown>): RoomEnv | null {
  const parsed = RoomEnv.safeParse(env);
  return parsed.success ? parsed.data : null;
}
