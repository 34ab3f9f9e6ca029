// Test support: WebSocket clients of a running room (global WebSocket, Node ≥ 22) that record every frame and
// wait for one by predicate, plus a raw upgrade probe that reports the HTTP status of a refused connection.
// Phones send an Origin header as a browser would (phone tickets are bound to it); agents send none, as Node does.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { PROTOCOL_VERSION, type PaneFrame, type RowPatch } from '../../protocol/index.ts';
import { afterAll, beforeAll } from 'vitest';
import { startRoom, type RunningRoom } from './room.ts';
import { mintTicket } from './ticket.ts';
import { openWebSocket } from './origin-socket.ts';

export type RoomMessage = { type: string; [key: string]: unknown };

/** The page origin test phones claim to be (in their tickets and their upgrade's Origin header). */
export const PHONE_ORIGIN = 'http://phone.hearth.test';

export type RoomClient = {
  ws: WebSocket;
  /** Every frame received so far, parsed, in order. */
  received: RoomMessage[];
  send(frame: object | string): void;
  /** The next frame (after the last one `next` returned) that `match`es; rejects after `timeoutMs` (5 s). */
  next(match: (m: RoomMessage) => boolean, what?: string, timeoutMs?: number): Promise<RoomMessage>;
  /** Resolves with the close code and reason; rejects if the socket is still open 10 s after opening. */
  closed: Promise<{ code: number; reason: string }>;
};

export const ofType = (type: string) => (m: RoomMessage): boolean => m.type === type;

/** An agent pane frame for `taskId` on a `width`-20 screen of `height` rows. */
export const paneFrame = (taskId: string, seq: number, full: boolean, rows: RowPatch[], height = 3): PaneFrame => ({
  type: 'pane',
  taskId,
  seq,
  body: { full, width: 20, height, rows },
});

/** Matches pane frames of `taskId`. */
export const paneOf = (taskId: string) => (m: RoomMessage): boolean => m.type === 'pane' && m.taskId === taskId;

/** Clients for one room server; `closeAll()` closes every socket they opened (call it in afterAll). */
export function roomClients(room: { host: string; ticketSecret: string }) {
  const sockets: WebSocket[] = [];
  const url = (owner: string, ticket: string): string =>
    `ws://${room.host}/parties/main/${owner}?ticket=${encodeURIComponent(ticket)}`;

  /** Open a socket to `target`, sending `origin` as its Origin header when given. */
  async function open(target: string, origin?: string): Promise<RoomClient> {
    const ws = openWebSocket(target, origin);
    sockets.push(ws);
    const received: RoomMessage[] = [];
    const waiters = new Set<() => void>();
    ws.addEventListener('message', (event) => {
      received.push(JSON.parse(String(event.data)) as RoomMessage);
      for (const wake of waiters) wake();
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket still open after 10 s')), 10_000);
      ws.addEventListener('close', (e) => (clearTimeout(timer), resolve({ code: e.code, reason: e.reason })));
    });
    closed.catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error(`socket to ${room.host} failed to open`)));
    });
    let cursor = 0;
    const next: RoomClient['next'] = (match, what = 'a frame', timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const wake = (): void => {
          while (cursor < received.length) {
            const m = received[cursor++]!;
            if (!match(m)) continue;
            waiters.delete(wake);
            clearTimeout(timer);
            return resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(received)}`));
        }, timeoutMs);
        waiters.add(wake);
        wake();
      });
    const send = (frame: object | string): void => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    return { ws, received, send, next, closed };
  }

  /**
   * Open a socket to `owner`'s room as `role` with a fresh ticket (for `sid`, default 'test-session') and complete
   * hello → welcome. A phone's ticket and upgrade carry PHONE_ORIGIN; an agent's neither.
   */
  async function join(owner: string, role: 'phone' | 'agent', sid?: string): Promise<RoomClient> {
    const origin = role === 'phone' ? PHONE_ORIGIN : undefined;
    const client = await open(url(owner, mintTicket(room.ticketSecret, { sub: owner, role, sid, origin })), origin);
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    const welcome = await client.next(ofType('welcome'), 'welcome');
    if (welcome.ownerId !== owner || welcome.protocolVersion !== PROTOCOL_VERSION) {
      throw new Error(`unexpected welcome ${JSON.stringify(welcome)}`);
    }
    return client;
  }

  const closeAll = (): void => sockets.forEach((ws) => ws.close());
  return { url, open, join, closeAll };
}

/** The HTTP status a WebSocket upgrade request to `url` (with `origin` as its Origin header, if any) gets: 101 when accepted. */
export function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws:/, 'http:'), {
      headers: {
        ...(origin === undefined ? {} : { origin }),
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from(randomUUID().slice(0, 16)).toString('base64'),
      },
    });
    req.on('upgrade', (res, socket) => {
      resolve(res.statusCode ?? 0);
      socket.destroy();
    });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Call at a test file's top level: one real room server for the file (started in beforeAll) and clients for it,
 * every socket closed and the server stopped in afterAll. `room` is readable once beforeAll has run.
 */
export function useRoomClients() {
  let room: RunningRoom | undefined;
  let clients: ReturnType<typeof roomClients> | undefined;
  beforeAll(async () => {
    room = await startRoom();
    clients = roomClients(room);
  });
  afterAll(async () => {
    clients?.closeAll();
    await room?.stop();
  });
  const started = () => {
    if (!room || !clients) throw new Error('useRoomClients: the room starts in beforeAll');
    return { room, clients };
  };
  return {
    get room(): RunningRoom {
      return started().room;
    },
    join: (owner: string, role: 'phone' | 'agent', sid?: string) => started().clients.join(owner, role, sid),
    open: (url: string, origin?: string) => started().clients.open(url, origin),
    url: (owner: string, ticket: string) => started().clients.url(owner, ticket),
  };
}

/** How one attempt to enter a room went: `entered` when it got a welcome (or was still open `waitMs` after hello). */
export type RoomOutcome = { entered: boolean; how: string };

/**
 * Try to enter the room at `url` (Origin `origin`, if any) as a client would: open, say hello, wait for a welcome.
 * Refused at the upgrade → `HTTP <status>` (asked again with a raw upgrade: a refused ticket stays refused); closed
 * after the upgrade → `closed <code>`. Rejects when the socket neither opens nor closes within 10 s.
 */
export async function roomOutcome(url: string, origin?: string, waitMs = 2_000): Promise<RoomOutcome> {
  const ws = openWebSocket(url, origin);
  const result = await new Promise<RoomOutcome | 'refused-at-upgrade'>((resolve, reject) => {
    let opened = false;
    const give = (r: RoomOutcome | 'refused-at-upgrade'): void => (clearTimeout(timer), resolve(r));
    let timer = setTimeout(() => reject(new Error(`no answer from ${url.split('?')[0]} within 10 s`)), 10_000);
    ws.addEventListener('open', () => {
      opened = true;
      ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
      clearTimeout(timer);
      timer = setTimeout(() => give({ entered: true, how: `still open ${waitMs} ms after hello` }), waitMs);
    });
    ws.addEventListener('message', (event) => {
      if (String(event.data).includes('"welcome"')) give({ entered: true, how: 'welcome' });
    });
    ws.addEventListener('close', (e) => give(opened ? { entered: false, how: `closed ${e.code}` } : 'refused-at-upgrade'));
  });
  ws.close();
  if (result !== 'refused-at-upgrade') return result;
  return { entered: false, how: `HTTP ${await upgradeStatus(url, origin)}` };
}
