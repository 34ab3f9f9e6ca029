// The phone's live connection to its owner's PartyKit room: tickets, hello, subscribe/resume, liveness, reconnects.
// Owns the socket only; screens and task state live with the views, which it reaches through `events`.
import { PartySocket } from 'partysocket';
import {
  PROTOCOL_VERSION,
  RoomToPhone,
  decodeFrame,
  type PaneFrame,
  type ApprovalStatus,
  type PhoneToRoom,
  type RoomTicketResponse,
  type TaskStatus,
} from '../protocol/index.ts';
import { ApiError } from './api-error.ts';

/** What the connection indicator shows. `signed-out` is final: the session is gone, no more reconnects. */
export type RoomState = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

export type RoomEvents = {
  state(state: RoomState): void;
  pane(frame: PaneFrame): void;
  taskChanged(taskId: string, status: TaskStatus): void;
  /** An approval was opened or settled: refetch (D1 is the truth). */
  approvalChanged(approvalId: string, taskId: string, status: ApprovalStatus): void;
  /** Every (re)connect, after the room's `welcome`: anything may have changed while the socket was down. */
  welcome(): void;
  presence(agentsConnected: number): void;
  /** An `error` frame from the room, or a ticket failure other than a lost session. */
  problem(code: string, message: string): void;
};

export type RoomClient = {
  /** Follow one task's pane (replaces any previous one); resumes after `lastSeqOf(taskId)` when known. */
  subscribe(taskId: string): void;
  unsubscribe(taskId: string): void;
  /** Ask for a full screen of `taskId` (after a gap, or when the phone has none). */
  requestSnapshot(taskId: string): void;
  close(): void;
};

export type RoomDeps = {
  roomTicket(): Promise<RoomTicketResponse>;
  /** The page's window: `online` events, timers, document visibility. */
  window: Window;
  events: RoomEvents;
  /** The seq of the newest frame the phone holds for `taskId`, so a reconnect resumes after it. */
  lastSeqOf(taskId: string): number | undefined;
};

/** A prefetched ticket is used for the first connect only if it is younger than this, in ms (tickets live 60 s). */
const PREFETCH_MAX_AGE_MS = 20_000;
/** How long to wait for a pong before declaring the socket dead and reconnecting, in ms. */
const PONG_TIMEOUT_MS = 5_000;
/** Keepalive ping period while the page is visible, in ms. */
const PING_EVERY_MS = 25_000;

/**
 * Connect to the owner's room. Fetches a fresh single-use ticket for every (re)connect, sends `hello` first,
 * re-subscribes after every `welcome`, and reconnects at once when the page becomes visible or the network
 * comes back and the socket does not answer a ping. Rejects only if the first ticket cannot be fetched.
 */
export async function connectRoom(deps: RoomDeps): Promise<RoomClient> {
  const { window: win, events } = deps;
  const first = await deps.roomTicket();
  let prefetched: { ticket: RoomTicketResponse; at: number } | null = { ticket: first, at: Date.now() };
  let welcomed = false;
  let closed = false;
  let current: string | null = null;
  let pingCount = 0;
  let pongTimer: number | undefined;
  let keepalive: number | undefined;

  const nextTicket = async (): Promise<string> => {
    if (prefetched && Date.now() - prefetched.at < PREFETCH_MAX_AGE_MS) {
      const { ticket } = prefetched.ticket;
      prefetched = null;
      return ticket;
    }
    prefetched = null;
    try {
      return (await deps.roomTicket()).ticket;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthenticated') stop('signed-out');
      else if (error instanceof ApiError && error.code !== 'network') events.problem(error.code, error.message);
      throw error;
    }
  };

  const socket = new PartySocket({
    host: first.host,
    room: first.room,
    party: 'main',
    query: async () => ({ ticket: await nextTicket() }),
    // Nothing may be queued while disconnected: `hello` must be the first frame of every connection.
    maxEnqueuedMessages: 0,
    minReconnectionDelay: 1_000,
    maxReconnectionDelay: 10_000,
  });

  const send = (message: PhoneToRoom): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const subscribeCurrent = (): void => {
    if (!current || !welcomed) return;
    const lastSeq = deps.lastSeqOf(current);
    send(lastSeq ? { type: 'subscribe', taskId: current, lastSeq } : { type: 'subscribe', taskId: current });
  };

  const clearPong = (): void => {
    if (pongTimer !== undefined) win.clearTimeout(pongTimer);
    pongTimer = undefined;
  };

  const reconnectNow = (): void => {
    if (closed) return;
    clearPong();
    welcomed = false;
    events.state('reconnecting');
    socket.reconnect();
  };

  /** Ping; no pong within PONG_TIMEOUT_MS means a half-open socket (the phone slept): reconnect. */
  const checkAlive = (): void => {
    if (closed) return;
    if (socket.readyState !== socket.OPEN) return reconnectNow();
    if (pongTimer !== undefined) return;
    pingCount += 1;
    send({ type: 'ping', requestId: `ping-${pingCount}` });
    pongTimer = win.setTimeout(reconnectNow, PONG_TIMEOUT_MS);
  };

  function stop(state: RoomState): void {
    if (closed) return;
    closed = true;
    clearPong();
    win.clearInterval(keepalive);
    win.removeEventListener('online', checkAlive);
    win.removeEventListener('offline', onOffline);
    win.document.removeEventListener('visibilitychange', onVisibility);
    socket.close();
    events.state(state);
  }

  const onVisibility = (): void => {
    if (win.document.visibilityState === 'visible') checkAlive();
  };
  const onOffline = (): void => {
    if (!closed) events.state('reconnecting');
  };

  socket.addEventListener('open', () => {
    welcomed = false;
    send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  });
  socket.addEventListener('close', () => {
    welcomed = false;
    clearPong();
    if (!closed) events.state('reconnecting');
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    const decoded = decodeFrame(RoomToPhone, event.data);
    if (!decoded.ok) return events.problem('invalid-request', decoded.error);
    const message = decoded.value;
    switch (message.type) {
      case 'welcome':
        welcomed = true;
        events.state('connected');
        subscribeCurrent();
        return events.welcome();
      case 'pane':
        return events.pane(message);
      case 'task-changed':
        return events.taskChanged(message.taskId, message.status);
      case 'approval-changed':
        return events.approvalChanged(message.approvalId, message.taskId, message.status);
      case 'agent-presence':
        return events.presence(message.connected);
      case 'pong':
        clearPong();
        // The socket survived (e.g. an `offline` blip): show it as connected again.
        if (welcomed) events.state('connected');
        return;
      case 'error':
        return events.problem(message.code, message.message);
    }
  });

  keepalive = win.setInterval(() => {
    if (win.document.visibilityState === 'visible') checkAlive();
  }, PING_EVERY_MS);
  win.addEventListener('online', checkAlive);
  win.addEventListener('offline', onOffline);
  win.document.addEventListener('visibilitychange', onVisibility);
  events.state('connecting');

  return {
    subscribe(taskId) {
      if (current && current !== taskId && welcomed) send({ type: 'unsubscribe', taskId: current });
      current = taskId;
      subscribeCurrent();
    },
    unsubscribe(taskId) {
      if (current !== taskId) return;
      current = null;
      if (welcomed) send({ type: 'unsubscribe', taskId });
    },
    requestSnapshot(taskId) {
      if (welcomed) send({ type: 'snapshot-request', taskId });
    },
    close: () => stop('reconnecting'),
  };
}
