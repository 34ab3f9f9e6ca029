// The room's configuration, parsed from the untyped `room.env` / `lobby.env` (`partykit dev --var KEY=VALUE`).
// The only module that reads the environment; it never falls back to a default secret.
import { z } from 'zod';

/** ROOM_SECRET: shared with the Worker; keys ticket HMACs and the notify bearer. At least 32 characters. */
export const RoomEnv = z.object({
  ROOM_SECRET: z.string().min(32, 'ROOM_SECRET must be at least 32 characters'),
});
export type RoomEnv = z.infer<typeof RoomEnv>;

/** Parse the room's env. Returns null when it is invalid, so callers fail closed (refuse, never guess). */
export function readRoomEnv(env: Record<string, unknown>): RoomEnv | null {
  const parsed = RoomEnv.safeParse(env);
  return parsed.success ? parsed.data : null;
}
