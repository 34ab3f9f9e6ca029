// Test support: a 127.0.0.1 relay in front of a real room that passes WebSocket upgrades through untouched and,
// when told to, loses plain HTTP requests (the Worker's best-effort notify) or cuts, stalls or refuses phones' sockets
// (a phone's network going away): network faults, not a fake room.
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export type RoomRelay = {
  /** `127.0.0.1:PORT`: give it to the Worker as PARTYKIT_HOST. */
  host: string;
  /** While true, every plain HTTP request is answered 503 without reaching the room. */
  dropHttp: boolean;
  /** Plain HTTP requests dropped so far. */
  dropped(): number;
  /**
   * While true, a phone's upgrade is dropped at once (connection reset). A phone's upgrade is one with an Origin
   * header: browsers always send one, the agent (Node) none.
   */
  dropPhones: boolean;
  /** Destroy every relayed phone socket, both sides, as a lost network does. Returns how many there were. */
  cutPhones(): number;
  /**
   * Stop passing bytes on every relayed phone socket, both ways, and leave its TCP connections open: a half-open link
   * (a NAT that forgot it, a phone that slept) that neither end sees as closed. Returns how many there were.
   */
  stallPhones(): number;
  /** Close the listener and every relayed connection. */
  close(): Promise<void>;
};

/** Start a relay to the room at `target` (`host:port`). */
export async function startRoomRelay(target: string): Promise<RoomRelay> {
  const [targetHost = '127.0.0.1', targetPort = ''] = target.split(':');
  const open = new Set<Duplex>();
  const phones = new Set<{ client: Duplex; upstream: Socket }>();
  const track = (socket: Duplex): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  let dropped = 0;

  const server = createServer((req, res) => {
    if (relay.dropHttp) {
      dropped += 1;
      req.resume();
      res.writeHead(503).end();
      return;
    }
    const upstream = request(
      { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.once('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', track);
  server.on('upgrade', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const phone = req.headers.origin !== undefined;
    if (phone && relay.dropPhones) {
      client.destroy();
      return;
    }
    const upstream: Socket = connect(Number(targetPort), targetHost, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    track(upstream);
    upstream.once('error', () => client.destroy());
    client.once('error', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
    if (phone) {
      const pair = { client, upstream };
      phones.add(pair);
      client.once('close', () => phones.delete(pair));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the relay has no port');

  const relay: RoomRelay = {
    host: `127.0.0.1:${address.port}`,
    dropHttp: false,
    dropped: () => dropped,
    dropPhones: false,
    cutPhones() {
      const count = phones.size;
      for (const { client, upstream } of phones) (client.destroy(), upstream.destroy());
      return count;
    },
    stallPhones() {
      for (const { client, upstream } of phones) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      return phones.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return relay;
}
