// Sending typed frames to sockets and picking recipients by role, hello and subscription. The room's only writer.
import type * as Party from 'partykit/server';
import type { ErrorCode, RoomToAgent, RoomToPhone } from '../protocol/index.ts';
import { readConnState, type ConnState } from './connection-state.ts';

/** Serialize and send; a socket that already closed is skipped (its onClose cleans up). */
export function send(conn: Party.Connection, frame: RoomToPhone | RoomToAgent | string): void {
  try {
    conn.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  } catch {
    // The peer went away between choosing it and sending; nothing to deliver to.
  }
}

/** An `error` frame in the shared vocabulary. */
export const errorFrame = (code: ErrorCode, message: string): Extract<RoomToPhone, { type: 'error' }> => ({
  type: 'error',
  code,
  message: message.slice(0, 2000),
});

/**
 * Open, authenticated sockets that said hello, optionally only of `role` and only those `accept` keeps.
 * `exceptId` leaves one out (a socket that is closing).
 */
export function* recipients(
  room: Party.Room,
  role: ConnState['role'],
  accept: (state: ConnState) => boolean = () => true,
  exceptId?: string,
): Generator<Party.Connection> {
  for (const conn of room.getConnections()) {
    if (conn.id === exceptId) continue;
    const state = readConnState(conn.state);
    if (state && state.hello && state.role === role && accept(state)) yield conn;
  }
}
