// The phone's live connection to its owner's PartyKit room: tickets, hello, subscribe/resume, liveness, reconnects
// (own backoff, at once when the page wakes or the network returns, none while offline). Owns the socket only;
// screens and task state live with the views, which it reaches through `events`.
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
import { decideWake, retryDelayMs, type Link, type WakeCause } from './reconnect-policy.ts';

/**
 * What the connection indicator shows. `reconnecting.attempt` counts attempts since the link was last up for a while
 * or the network came back (1 = the first); `offline` waits for the browser's `online` event; `signed-out` is final:
 * the session is gone.
 */
export type RoomStatus =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'reconnecting'; attempt: number }
  | { state: 'offline' }
  | { state: 'signed-out' };
export type RoomState = RoomStatus['state'];

export type RoomEvents = {
  state(status: RoomStatus): void;
  pane(frame: PaneFrame): void;
  /**
   * The room has sent everything it holds for `taskId` after a (re)subscribe — replayed frames, a snapshot, or
   * nothing when the phone was current: what arrives from now on is live.
   */
  resumed(taskId: string): void;
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
  /** Close for good without reporting a state (the caller shows why). */
  close(): void;
};

export type RoomDeps = {
  roomTicket(): Promise<RoomTicketResponse>;
  /** The page's window: `online`/`offline`/`pageshow` events, timers, navigator.onLine, document visibility. */
  window: Window;
  events: RoomEvents;
  /** The seq of the newest frame the phone holds for `taskId`, so a reconnect resumes after it. */
  lastSeqOf(taskId: string): number | undefined;
  /** Jitter source in [0, 1) for the backoff; default Math.random. */
  random?: () => number;
};

/** A prefetched ticket is used for the first connect only if it is younger than this, in ms (tickets live 60 s). */
const PREFETCH_MAX_AGE_MS = 20_000;
/** How long to wait for a pong before declaring the socket dead and reconnecting, in ms. */
const PONG_TIMEOUT_MS = 5_000;
/** Keepalive ping period while the page is visible, in ms. */
const PING_EVERY_MS = 25_000;
/** A link must stay up this long (ms) before the attempt count starts over, so a flapping room still backs off. */
const MIN_UPTIME_MS = 5_000;

/**
 * Connect to the owner's room. Fetches a fresh single-use ticket for every (re)connect, sends `hello` first,
 * re-subscribes with the phone's last seq after every `welcome` and follows the subscribe with a ping: the room
 * handles a socket's frames in order and sends a subscribe's catch-up at once, so that ping's pong marks the end of
 * the catch-up (`events.resumed`). Retries with reconnect-policy.ts's backoff; reconnects at once when the page wakes
 * or the network returns (decideWake); while the browser is offline it closes the socket and waits for `online`.
 * Rejects only if the first ticket cannot be fetched.
 */
export async function connectRoom(deps: RoomDeps): Promise<RoomClient> {
  const { window: win, events } = deps;
  const doc = win.document;
  const random = deps.random ?? Math.random;
  const first = await deps.roomTicket();
  let prefetched: { ticket: RoomTicketResponse; at: number } | null = { ticket: first, at: Date.now() };
  let welcomed = false;
  let stopped = false;
  let offline = false;
  let connecting = true;
  let attempt = 0;
  let requests = 0;
  let current: string | null = null;
  let resuming: { requestId: string; taskId: string } | null = null;
  let hiddenAt: number | null = doc.visibilityState === 'hidden' ? Date.now() : null;
  let retryTimer: number | undefined;
  let pongTimer: number | undefined;
  let uptimeTimer: number | undefined;
  let keepalive: number | undefined;
  /** Set while we close or replace the socket ourselves: its close event is not a drop. */
  let ownClose = false;

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
      if (error instanceof ApiError && error.code === 'unauthenticated') stop({ state: 'signed-out' });
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
    // partysocket never retries on its own (a pending backoff cannot be cut short): retries are ours, below.
    maxRetries: 0,
  });

  const send = (message: PhoneToRoom): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const quietly = (act: () => void): void => {
    ownClose = true;
    try {
      act();
    } finally {
      ownClose = false;
    }
  };
  const link = (): Link => (socket.readyState === socket.OPEN ? 'open' : connecting ? 'connecting' : 'closed');
  const clearPong = (): void => {
    if (pongTimer !== undefined) win.clearTimeout(pongTimer);
    pongTimer = undefined;
  };
  const clearRetry = (): void => {
    if (retryTimer !== undefined) win.clearTimeout(retryTimer);
    retryTimer = undefined;
  };
  const lostLink = (): void => {
    welcomed = false;
    connecting = false;
    resuming = null;
    clearPong();
    win.clearTimeout(uptimeTimer);
  };
  const connect = (): void => {
    connecting = true;
    quietly(() => socket.reconnect());
  };

  const subscribeCurrent = (): void => {
    if (!current || !welcomed) return;
    const lastSeq = deps.lastSeqOf(current);
    send(lastSeq === undefined ? { type: 'subscribe', taskId: current } : { type: 'subscribe', taskId: current, lastSeq });
    requests += 1;
    resuming = { requestId: `resume-${requests}`, taskId: current };
    send({ type: 'ping', requestId: resuming.requestId });
  };

  /** Replace the socket now, skipping any backoff (the page woke, the network returned, a ping went unanswered). */
  const reconnectNow = (): void => {
    if (stopped) return;
    clearRetry();
    lostLink();
    offline = false;
    attempt += 1;
    events.state({ state: 'reconnecting', attempt });
    connect();
  };

  /** The browser has no network: close the socket and make no attempt until `online`. */
  const goOffline = (): void => {
    if (stopped || offline) return;
    offline = true;
    attempt = 0;
    clearRetry();
    lostLink();
    quietly(() => socket.close());
    events.state({ state: 'offline' });
  };

  /** The socket closed or failed without us asking: retry after the backoff (or wait for the network). */
  const dropped = (): void => {
    lostLink();
    if (stopped || offline) return;
    if (!win.navigator.onLine) return goOffline();
    if (retryTimer !== undefined) return;
    attempt += 1;
    events.state({ state: 'reconnecting', attempt });
    retryTimer = win.setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, retryDelayMs(attempt, random()));
  };

  /** Ping; no pong within PONG_TIMEOUT_MS means a half-open socket (the phone slept): reconnect. */
  const checkAlive = (): void => {
    if (stopped || offline || link() !== 'open' || pongTimer !== undefined) return;
    requests += 1;
    send({ type: 'ping', requestId: `ping-${requests}` });
    pongTimer = win.setTimeout(reconnectNow, PONG_TIMEOUT_MS);
  };

  const wake = (cause: WakeCause): void => {
    if (stopped) return;
    const hiddenMs = hiddenAt === null ? 0 : Date.now() - hiddenAt;
    hiddenAt = null;
    const action = decideWake({ cause, online: win.navigator.onLine, link: link(), hiddenMs });
    if (action === 'reconnect') reconnectNow();
    else if (action === 'ping') checkAlive();
    else if (action === 'offline') goOffline();
  };
  const markHidden = (): void => {
    hiddenAt ??= Date.now();
  };
  const onVisibility = (): void => (doc.visibilityState === 'visible' ? wake('visible') : markHidden());
  const onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) wake('pageshow');
  };
  const onResume = (): void => wake('resume');
  const onOnline = (): void => wake('online');

  function stop(status: RoomStatus | null): void {
    if (stopped) return;
    stopped = true;
    clearPong();
    clearRetry();
    win.clearTimeout(uptimeTimer);
    win.clearInterval(keepalive);
    win.removeEventListener('online', onOnline);
    win.removeEventListener('offline', goOffline);
    win.removeEventListener('pageshow', onPageShow);
    win.removeEventListener('pagehide', markHidden);
    doc.removeEventListener('visibilitychange', onVisibility);
    doc.removeEventListener('freeze', markHidden);
    doc.removeEventListener('resume', onResume);
    quietly(() => socket.close());
    if (status) events.state(status);
  }

  socket.addEventListener('open', () => {
    connecting = false;
    welcomed = false;
    send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  });
  socket.addEventListener('close', () => {
    if (!ownClose) dropped();
  });
  // A failed ticket fetch before any socket existed ends in `error` alone; otherwise `close` came first.
  socket.addEventListener('error', () => {
    if (!ownClose && socket.readyState !== socket.OPEN) dropped();
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    const decoded = decodeFrame(RoomToPhone, event.data);
    if (!decoded.ok) return events.problem('invalid-request', decoded.error);
    const message = decoded.value;
    switch (message.type) {
      case 'welcome':
        welcomed = true;
        uptimeTimer = win.setTimeout(() => (attempt = 0), MIN_UPTIME_MS);
        events.state({ state: 'connected' });
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
      case 'pong': {
        clearPong();
        const done = resuming;
        if (done && message.requestId === done.requestId) {
          resuming = null;
          events.resumed(done.taskId);
        }
        return;
      }
      case 'error':
        return events.problem(message.code, message.message);
    }
  });

  keepalive = win.setInterval(() => {
    if (doc.visibilityState === 'visible') checkAlive();
  }, PING_EVERY_MS);
  win.addEventListener('online', onOnline);
  win.addEventListener('offline', goOffline);
  win.addEventListener('pageshow', onPageShow);
  win.addEventListener('pagehide', markHidden);
  doc.addEventListener('visibilitychange', onVisibility);
  doc.addEventListener('freeze', markHidden);
  doc.addEventListener('resume', onResume);
  events.state({ state: 'connecting' });
  if (!win.navigator.onLine) goOffline();

  return {
    subscribe(taskId) {
      if (current && current !== taskId && welcomed) send({ type: 'unsubscribe', taskId: current });
      current = taskId;
      subscribeCurrent();
    },
    unsubscribe(taskId) {
      if (current !== taskId) return;
      current = null;
      if (resuming?.taskId === taskId) resuming = null;
      if (welcomed) send({ type: 'unsubscribe', taskId });
    },
    requestSnapshot(taskId) {
      if (welcomed) send({ type: 'snapshot-request', taskId });
    },
    close: () => stop(null),
  };
}
