// The push-service stand-in (test/support/push-service.ts) against the real `web-push` package: what web-push sends
// is accepted and decrypted; a wrong key, a bad claim, a missing header or a scripted answer is refused as a real
// push service would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { createPrivateKey, sign } from 'node:crypto';
import webpush, { WebPushError } from 'web-push';
import { startPushService, type PushService, type PushServiceSubscription } from '../support/push-service.ts';

/** web-push only speaks https.request; this agent hands it a plain TCP socket so it can reach the http stand-in. */
class PlainAgent extends Agent {
  override createConnection(options: { host?: string | null; port?: number | null }): Socket {
    return connect(options.port ?? 80, options.host ?? '127.0.0.1');
  }
}

const keys = webpush.generateVAPIDKeys();
const vapidDetails = { subject: 'mailto:owner@example.com', publicKey: keys.publicKey, privateKey: keys.privateKey };
const agent = new PlainAgent();

/** Send with web-push's own transport (sendNotification), as a Node server would. */
const send = (sub: PushServiceSubscription, payload: string, extra: webpush.RequestOptions = {}) =>
  webpush.sendNotification(sub, payload, { vapidDetails, TTL: 60, agent, ...extra });

/** Send web-push's request details with fetch, as the Worker does; `headers` overrides some of them. */
async function post(sub: PushServiceSubscription, payload: string, headers: Record<string, string | null> = {}, opts: webpush.RequestOptions = {}) {
  const details = webpush.generateRequestDetails(sub, payload, { vapidDetails, TTL: 60, ...opts });
  const merged = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const res = await fetch(details.endpoint, { method: details.method, headers: merged, body: details.body ? new Uint8Array(details.body) : null });
  return { status: res.status, text: await res.text() };
}

/** A hand-made ES256 VAPID JWT (web-push refuses to make some bad ones), signed with `keys`. */
function jwt(claims: Record<string, unknown>, signer = keys): string {
  const pub = Buffer.from(signer.publicKey, 'base64url');
  const key = createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: signer.privateKey, x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ typ: 'JWT', alg: 'ES256' })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

let push: PushService;
beforeAll(async () => {
  push = await startPushService();
});
afterAll(async () => {
  agent.destroy();
  await push.stop();
});

describe('push-service stand-in', () => {
  it('accepts what web-push sendNotification sends and records the decrypted JSON, headers and claims', async () => {
    const sub = push.createSubscription({ applicationServerKey: keys.publicKey });
    const result = await send(sub, JSON.stringify({ hello: 'phone', n: 1 }), { urgency: 'high' });
    expect(result.statusCode).toBe(201);
    const message = await push.waitForMessage((m) => m.subscriptionId === sub.id, 1_000);
    expect(message.json).toEqual({ hello: 'phone', n: 1 });
    expect(message.headers).toMatchObject({ ttl: '60', urgency: 'high', 'content-encoding': 'aes128gcm' });
    expect(message.vapid).toMatchObject({ aud: push.url, sub: 'mailto:owner@example.com', k: keys.publicKey });
    expect(sub.endpoint).toBe(`${push.url}/push/${sub.id}`);
  });

  it('accepts generateRequestDetails sent with fetch, and wakes a waiter and an onMessage listener', async () => {
    const sub = push.createSubscription();
    const seen: unknown[] = [];
    const off = push.onMessage((m) => seen.push(m.json));
    const waiting = push.waitForMessage((m) => m.subscriptionId === sub.id, 5_000);
    expect((await post(sub, '{"a":true}')).status).toBe(201);
    expect((await waiting).json).toEqual({ a: true });
    off();
    expect((await post(sub, '{"b":true}')).status).toBe(201);
    expect(seen).toEqual([{ a: true }]);
  });

  it('answers 401 without credentials and 403 for a wrong key, signature or claim, recording why', async () => {
    const sub = push.createSubscription({ applicationServerKey: keys.publicKey });
    const other = webpush.generateVAPIDKeys();
    const cases: Array<[number, Record<string, string | null>, RegExp]> = [
      [401, { Authorization: null }, /no Authorization/],
      [401, { Authorization: 'Bearer abc' }, /vapid t=/],
      [403, { Authorization: `vapid t=${jwt({ aud: push.url, exp: now() + 60, sub: 'mailto:a@b.c' }, other)}, k=${keys.publicKey}` }, /signature does not verify/],
      [403, { Authorization: `vapid t=${jwt({ aud: 'https://elsewhere.example', exp: now() + 60, sub: 'mailto:a@b.c' })}, k=${keys.publicKey}` }, /aud/],
      [403, { Authorization: `vapid t=${jwt({ aud: push.url, exp: now() - 1, sub: 'mailto:a@b.c' })}, k=${keys.publicKey}` }, /expired/],
      [403, { Authorization: `vapid t=${jwt({ aud: push.url, exp: now() + 25 * 3600, sub: 'mailto:a@b.c' })}, k=${keys.publicKey}` }, /24 hours/],
      [403, { Authorization: `vapid t=${jwt({ aud: push.url, exp: now() + 60, sub: 'http://x.example' })}, k=${keys.publicKey}` }, /sub/],
    ];
    for (const [status, headers, reason] of cases) {
      expect((await post(sub, '{}', headers)).status, JSON.stringify(headers)).toBe(status);
      expect(push.attempts().at(-1)?.reason).toMatch(reason);
    }
    // Signed correctly, but with a key the subscription was not created for.
    expect((await post(sub, '{}', {}, { vapidDetails: { ...vapidDetails, publicKey: other.publicKey, privateKey: other.privateKey } })).status).toBe(403);
    // The same hand-made token with the right claims passes: the cases above fail for the reason named.
    const good = `vapid t=${jwt({ aud: push.url, exp: now() + 60, sub: 'https://hearth.example/contact' })}, k=${keys.publicKey}`;
    expect((await post(sub, '{"ok":1}', { Authorization: good })).status).toBe(201);
    expect(push.messages().filter((m) => m.subscriptionId === sub.id).map((m) => m.json)).toEqual([{ ok: 1 }]);
  });

  it('refuses a missing TTL, the legacy aesgcm encoding, a body it cannot decrypt and an unknown subscription', async () => {
    const sub = push.createSubscription();
    const stranger = push.createSubscription();
    expect((await post(sub, '{}', { TTL: null })).status).toBe(400);
    expect((await post(sub, '{}', { 'Content-Encoding': 'aesgcm' })).status).toBe(400);
    expect(push.attempts().at(-1)?.reason).toMatch(/aes128gcm/);
    // web-push's legacy encoding also uses the legacy `WebPush` auth scheme: refused before the body is looked at.
    expect((await post(sub, '{}', {}, { contentEncoding: 'aesgcm' })).status).toBe(401);
    // Encrypted for another subscription's keys, delivered to this one.
    const details = webpush.generateRequestDetails(stranger, '{}', { vapidDetails, TTL: 60 });
    const res = await fetch(sub.endpoint, { method: 'POST', headers: Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)])), body: details.body ? new Uint8Array(details.body) : null });
    expect(res.status).toBe(400);
    expect(push.attempts().at(-1)?.reason).toMatch(/decryption failed/);
    expect((await post({ ...sub, endpoint: `${push.url}/push/00000000-0000-4000-8000-000000000000` }, '{}')).status).toBe(404);
    expect(push.messages().some((m) => m.subscriptionId === sub.id)).toBe(false);
  });

  it('answers a scripted 410, 404 or 500 until put back to 201', async () => {
    const sub = push.createSubscription();
    for (const status of [410, 404, 500] as const) {
      push.respond(sub.id, status);
      const err = await send(sub, '{}').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebPushError);
      expect(err instanceof WebPushError && err.statusCode).toBe(status);
    }
    push.respond(sub.id, 201);
    expect((await send(sub, '{"back":true}')).statusCode).toBe(201);
    expect(push.messages().filter((m) => m.subscriptionId === sub.id).map((m) => m.json)).toEqual([{ back: true }]);
    await expect(push.waitForAttempt((a) => a.subscriptionId === 'never', 50)).rejects.toThrow(/no matching attempt/);
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}
