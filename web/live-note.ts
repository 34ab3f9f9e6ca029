// The quiet note over a live pane while the room link is not live: what the phone is doing and how old the screen it
// shows is ("Reconnecting — showing the screen as of 14:02:11"). Pure: the task view decides when it shows.
import type { RoomState } from './room-client.ts';

/** Local wall-clock time of `ms` (epoch ms) as HH:MM:SS, 24-hour. */
export function timeOfDay(ms: number): string {
  const at = new Date(ms);
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

const LEAD: Record<RoomState, string> = {
  connecting: 'Connecting',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
  // Back on the room, the catch-up (replay or snapshot) has not been applied yet.
  connected: 'Catching up',
  'signed-out': 'Signed out',
};

/** The note for a pane whose newest frame was applied at `asOfMs` (epoch ms) while the room link is in `state`. */
export function staleNote(state: RoomState, asOfMs: number): string {
  return `${LEAD[state]} — showing the screen as of ${timeOfDay(asOfMs)}`;
}
