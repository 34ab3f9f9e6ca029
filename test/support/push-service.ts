// A local push-service stand-in speaking the real protocol (RFC 8030 delivery, RFC 8292 VAPID, RFC 8291 aes128gcm):
// mints subscriptions with real P-256 keys, checks each push's VAPID JWT, decrypts the body with `http_ece` and
// records it. Test support only: binds 127.0.0.1, keeps everything in memory.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { createRequire } from 'node:module';
import { verifyVapid, type VapidClaims } from './push-service-vapid.ts';

export type { VapidClaims } from './push-service-vapid.ts';

/** What `PushSubscription.toJSON()` gives a page (minus expirationTime), plus the stand-in's own id. */
export type PushServiceSubscription = {
  id: string;
  /** `http://127.0.0.1:<port>/push/<id>` */
  endpoint: string;
  /** base64url without padding: `p256dh` the 65-byte public key, `auth` the 16-byte secret. */
  keys: { p256dh: string; auth: string };
};

/** A push that passed every check and was answered 201. `at` is epoch ms. */
export type ReceivedPush = {
  subscriptionId: string;
  /** Request headers, lower-case names (the Authorization value included: it is a test key's signature). */
  headers: Record<string, string>;
  vapid: VapidClaims;
  /** The decrypted body as UTF-8 text, and parsed as JSON (undefined when it is not JSON). */
  text: string;
  json: unknown;
  at: number;
};

/** Every request to /push/<id>, accepted or not, with the status answered and why (null when 201). */
export type PushAttempt = { subscriptionId: string; status: number; reason: string | null; at: number };

/** A scripted answer for one subscription; 201 puts it back to normal delivery. */
export type ScriptedStatus = 201 | 404 | 410 | 500;

export type PushService = {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** A fresh subscription. `applicationServerKey` (base64url) restricts it to that VAPID key (403 otherwise). */
  createSubscription(opts?: { applicationServerKey?: string }): PushServiceSubscription;
  /** Answer every later push to `id` with `status` after the protocol checks pass (sticky until changed). */
  respond(id: string, status: ScriptedStatus): void;
  /** Copies, oldest first. */
  messages(): ReceivedPush[];
  attempts(): PushAttempt[];
  /** The first message (already received or still to come) that matches; rejects after `timeoutMs`. */
  waitForMessage(predicate: (m: ReceivedPush) => boolean, timeoutMs?: number): Promise<ReceivedPush>;
  /** The first attempt (any status) that matches; rejects after `timeoutMs`. */
  waitForAttempt(predicate: (a: PushAttempt) => boolean, timeoutMs?: number): Promise<PushAttempt>;
  /** Called for each accepted message (after it is recorded); returns a function that removes the listener. */
  onMessage(listener: (m: ReceivedPush) => void): () => void;
  stop(): Promise<void>;
};

/** RFC 8030 §7.2 lets a push service refuse bodies over 4096 bytes (413); every real one does. */
const MAX_BODY_BYTES = 4096;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

type EceDecrypt = (buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: Buffer }) => Buffer;

/** `http_ece` ships no types: load it through require and check the one function used. */
function loadDecrypt(): EceDecrypt {
  const ece: unknown = createRequire(import.meta.url)('http_ece');
  if (typeof ece !== 'object' || ece === null || !('decrypt' in ece) || typeof ece.decrypt !== 'function') {
    throw new Error('http_ece has no decrypt()');
  }
  const decrypt = ece.decrypt;
  return (buffer, params) => {
    const out: unknown = decrypt(buffer, params);
    if (!Buffer.isBuffer(out)) throw new Error('http_ece decrypt() did not return a Buffer');
    return out;
  };
}

type Stored = PushServiceSubscription & { ecdh: ECDH; authSecret: Buffer; applicationServerKey?: string; scripted: ScriptedStatus };

type Waiter<T> = { predicate: (x: T) => boolean; resolve: (x: T) => void };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Start the stand-in on a random 127.0.0.1 port. */
export async function startPushService(): Promise<PushService> {
  const decrypt = loadDecrypt();
  const subscriptions = new Map<string, Stored>();
  const received: ReceivedPush[] = [];
  const attempts: PushAttempt[] = [];
  const messageWaiters = new Set<Waiter<ReceivedPush>>();
  const attemptWaiters = new Set<Waiter<PushAttempt>>();
  const listeners = new Set<(m: ReceivedPush) => void>();
  let origin = '';

  const settle = <T>(waiters: Set<Waiter<T>>, item: T) => {
    for (const w of waiters) {
      if (!w.predicate(item)) continue;
      waiters.delete(w);
      w.resolve(item);
    }
  };

  const answer = (res: ServerResponse, subscriptionId: string, status: number, reason: string | null) => {
    const attempt = { subscriptionId, status, reason, at: Date.now() };
    attempts.push(attempt);
    settle(attemptWaiters, attempt);
    res.writeHead(status, reason ? { 'content-type': 'text/plain' } : {}).end(reason ?? undefined);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/push\/([0-9a-f-]+)$/.exec(new URL(req.url ?? '/', origin).pathname);
    const body = await readBody(req);
    const id = match?.[1] ?? '';
    const sub = subscriptions.get(id);
    if (req.method !== 'POST' || !sub) return answer(res, id, 404, 'no such subscription');
    const vapid = verifyVapid(req.headers.authorization, sub.endpoint, Date.now(), sub.applicationServerKey);
    if (!vapid.ok) return answer(res, id, vapid.status, vapid.reason);
    const ttl = req.headers.ttl;
    if (ttl === undefined || !/^\d+$/.test(ttl.toString())) return answer(res, id, 400, 'TTL header missing or not a non-negative integer');
    const urgency = req.headers.urgency;
    if (urgency !== undefined && !URGENCIES.has(urgency.toString())) return answer(res, id, 400, `Urgency ${urgency.toString()} is not one of RFC 8030 §5.3`);
    if (req.headers['content-encoding'] !== 'aes128gcm') return answer(res, id, 400, 'Content-Encoding is not aes128gcm');
    if (body.length > MAX_BODY_BYTES) return answer(res, id, 413, `body is ${body.length} bytes, over ${MAX_BODY_BYTES}`);
    let text: string;
    try {
      text = decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.authSecret }).toString('utf8');
    } catch (err) {
      return answer(res, id, 400, `aes128gcm decryption failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (sub.scripted !== 201) return answer(res, id, sub.scripted, `scripted ${sub.scripted}`);
    const message: ReceivedPush = { subscriptionId: id, headers: headersOf(req), vapid: vapid.claims, text, json: parseJson(text), at: Date.now() };
    received.push(message);
    res.setHeader('location', `${origin}/message/${randomUUID()}`);
    answer(res, id, 201, null);
    settle(messageWaiters, message);
    for (const listener of listeners) listener(message);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('push service has no port');
  origin = `http://127.0.0.1:${address.port}`;

  const waitIn = <T>(list: T[], waiters: Set<Waiter<T>>, what: string) => (predicate: (x: T) => boolean, timeoutMs = 10_000) => {
    const found = list.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (x) => {
          clearTimeout(timer);
          resolve(x);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`push service: no matching ${what} within ${timeoutMs} ms; attempts so far: ${JSON.stringify(attempts)}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  return {
    url: origin,
    createSubscription(opts = {}) {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') };
      const stored: Stored = { id, endpoint: `${origin}/push/${id}`, keys, ecdh, authSecret, scripted: 201 };
      if (opts.applicationServerKey !== undefined) stored.applicationServerKey = opts.applicationServerKey;
      subscriptions.set(id, stored);
      return { id, endpoint: stored.endpoint, keys: { ...keys } };
    },
    respond(id, status) {
      const sub = subscriptions.get(id);
      if (!sub) throw new Error(`push service: no subscription ${id}`);
      sub.scripted = status;
    },
    messages: () => [...received],
    attempts: () => [...attempts],
    waitForMessage: waitIn(received, messageWaiters, 'message'),
    waitForAttempt: waitIn(attempts, attemptWaiters, 'attempt'),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
