// Test support: a phone in its owner's room as the web app behaves — partysocket with a fresh Worker ticket per
// (re)connect (session cookie; the page's Origin on the ticket request and the upgrade, as a browser sends), hello, re-subscribe with lastSeq after every welcome — keeping each task's screen
// with web/screen-model.ts's applyFrame and a log of every pane frame received and applied.
import { PartySocket } from 'partysocket';
import { decodeFrame, PROTOCOL_VERSION, RoomTicketResponse, RoomToPhone, type PhoneToRoom } from '../../protocol/index.ts';
import { applyFrame, type Screen } from '../../web/screen-model.ts';
import { webSocketFrom } from './origin-socket.ts';

/** One pane frame as the phone saw it: its seq, whether it was a snapshot, and whether applyFrame applied it. */
export type SeenFrame = { seq: number; full: boolean; applied: boolean };

export type Phone = {
  /** Follow `taskId`; re-sent with the screen's seq as lastSeq after every reconnect. */
  subscribe(taskId: string): void;
  screen(taskId: string): Screen | null;
  /** Every pane frame received for `taskId`, in order. */
  seen(taskId: string): SeenFrame[];
  /** How many `welcome`s arrived: 1 after the first connect, +1 per reconnect. */
  welcomes(): number;
  /** Frames the phone could not decode and `error` frames from the room (a healthy run has none). */
  problems(): string[];
  close(): void;
};

/** POST /api/room-ticket as the signed-in owner on a page at `origin`. Throws on a non-2xx reply. */
async function roomTicket(origin: string, cookie: string): Promise<RoomTicketResponse> {
  const res = await fetch(`${origin}/api/room-ticket`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`room-ticket: HTTP ${res.status} ${await res.text()}`);
  return RoomTicketResponse.parse(await res.json());
}

/**
 * Connect a phone for the owner of `cookie` at the Worker `origin`; resolves after the first welcome, rejects
 * (socket closed) when none comes within 20 s. Call close() when done: partysocket otherwise reconnects forever.
 */
export async function connectPhone(origin: string, cookie: string): Promise<Phone> {
  const first = await roomTicket(origin, cookie);
  let unused: RoomTicketResponse | null = first;
  const screens = new Map<string, Screen>();
  const seen = new Map<string, SeenFrame[]>();
  const subscribed = new Set<string>();
  const problems: string[] = [];
  let welcomes = 0;

  const socket = new PartySocket({
    host: first.host,
    room: first.room,
    party: 'main',
    protocol: 'ws',
    WebSocket: webSocketFrom(origin),
    query: async () => {
      const ticket = unused ?? (await roomTicket(origin, cookie));
      unused = null;
      return { ticket: ticket.ticket };
    },
    maxEnqueuedMessages: 0,
    minReconnectionDelay: 200,
    maxReconnectionDelay: 1_000,
  });
  const send = (message: PhoneToRoom): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const subscribeNow = (taskId: string): void => {
    const lastSeq = screens.get(taskId)?.seq;
    send(lastSeq === undefined ? { type: 'subscribe', taskId } : { type: 'subscribe', taskId, lastSeq });
  };

  let welcomed: () => void = () => undefined;
  const firstWelcome = new Promise<void>((resolve) => (welcomed = resolve));
  socket.addEventListener('open', () => send({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
  socket.addEventListener('message', (event: MessageEvent) => {
    const decoded = decodeFrame(RoomToPhone, event.data);
    if (!decoded.ok) return void problems.push(decoded.error);
    const message = decoded.value;
    if (message.type === 'error') return void problems.push(`${message.code}: ${message.message}`);
    if (message.type === 'welcome') {
      welcomes += 1;
      for (const taskId of subscribed) subscribeNow(taskId);
      welcomed();
      return;
    }
    if (message.type !== 'pane') return;
    const result = applyFrame(screens.get(message.taskId) ?? null, message);
    const log = seen.get(message.taskId) ?? [];
    log.push({ seq: message.seq, full: message.body.full, applied: result.kind === 'applied' });
    seen.set(message.taskId, log);
    if (result.kind === 'applied') screens.set(message.taskId, result.screen);
    else if (result.kind === 'need-snapshot') send({ type: 'snapshot-request', taskId: message.taskId });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the phone got no welcome within 20 s')), 20_000);
  });
  try {
    await Promise.race([firstWelcome, timeout]);
  } catch (error) {
    socket.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    subscribe(taskId) {
      subscribed.add(taskId);
      subscribeNow(taskId);
    },
    screen: (taskId) => screens.get(taskId) ?? null,
    seen: (taskId) => seen.get(taskId) ?? [],
    welcomes: () => welcomes,
    problems: () => [...problems],
    close: () => socket.close(),
  };
}
