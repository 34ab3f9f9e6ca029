// The agent's outbound WebSocket to its owner's room (partysocket): a fresh single-use ticket per (re)connect,
// `hello` first, typed frames in both directions. Never sends before `welcome`; never logs ticket values.
import PartySocket from 'partysocket';
import { AgentToRoom, decodeFrame, PROTOCOL_VERSION, ROOM_CLOSE_REVOKED, RoomToAgent, type RoomTicketResponse } from '../protocol/index.ts';

export type RoomLinkDeps = {
  /** POST /api/room-ticket; called once per connection attempt. */
  fetchTicket: () => Promise<RoomTicketResponse>;
  /** 'wss' unless the Worker itself is plain http (local dev). */
  protocol: 'ws' | 'wss';
  log: (line: string) => void;
  /** Called after `welcome`: the link is ready to carry frames. */
  onReady: () => void;
  onMessage: (message: RoomToAgent) => void;
  /** The room closed the socket as revoked (ROOM_CLOSE_REVOKED): the link does not reconnect. */
  onRevoked: () => void;
};

export type RoomLink = { send(message: AgentToRoom): boolean; isReady(): boolean; close(): void };

/** Open the link. `first` is a ticket already fetched (it tells host and room); later connects fetch anew. */
export function openRoomLink(deps: RoomLinkDeps, first: RoomTicketResponse): RoomLink {
  // The first ticket is used only while clearly fresh (tickets live 60 s; single use).
  let pending: RoomTicketResponse | undefined = first;
  const firstFetchedAt = Date.now();
  let ready = false;
  const socket = new PartySocket({
    host: first.host,
    room: first.room,
    party: 'main',
    protocol: deps.protocol,
    maxEnqueuedMessages: 0,
    shouldReconnectOnClose: (event) => event.code !== ROOM_CLOSE_REVOKED,
    query: async () => {
      const ticket = pending && Date.now() - firstFetchedAt < 30_000 ? pending : await deps.fetchTicket();
      pending = undefined;
      return { ticket: ticket.ticket };
    },
  });

  socket.addEventListener('open', () => {
    deps.log('room: connected, saying hello');
    socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION } satisfies AgentToRoom));
  });
  socket.addEventListener('close', (event) => {
    const wasReady = ready;
    ready = false;
    if (event.code === ROOM_CLOSE_REVOKED) return deps.onRevoked();
    if (wasReady) deps.log(`room: disconnected (${event.code}); reconnecting`);
  });
  socket.addEventListener('error', (event) => {
    deps.log(`room: connection error: ${(event as { message?: string }).message ?? 'unknown'}`);
  });
  socket.addEventListener('message', (event) => {
    const decoded = decodeFrame(RoomToAgent, event.data);
    if (!decoded.ok) {
      deps.log(`room: ignored a frame: ${decoded.error}`);
      return;
    }
    const message = decoded.value;
    if (message.type === 'welcome') {
      if (message.protocolVersion !== PROTOCOL_VERSION) {
        deps.log(`room: protocol ${message.protocolVersion} differs from ours (${PROTOCOL_VERSION})`);
      }
      ready = true;
      deps.onReady();
      return;
    }
    if (message.type === 'error') deps.log(`room: error ${message.code}: ${message.message.slice(0, 200)}`);
    deps.onMessage(message);
  });

  return {
    send(message) {
      if (!ready || socket.readyState !== socket.OPEN) return false;
      socket.send(JSON.stringify(message));
      return true;
    },
    isReady: () => ready && socket.readyState === socket.OPEN,
    close() {
      ready = false;
      socket.close();
    },
  };
}
