// pushsubscriptionchange: re-subscribe with the Worker's key and PUT it with the owner's events — only while push is on.
import { describe, expect, it } from 'vitest';
import type { PushState } from '../../protocol/index.ts';
import { resubscribe } from './push-resubscribe.ts';

const P256DH = `B${'A'.repeat(86)}`; // 65 bytes of base64url
const AUTH = 'A'.repeat(22); // 16 bytes
const KEY = `B${'k'.repeat(86)}`;
const fresh = { endpoint: 'https://push.example/new', expirationTime: null, keys: { p256dh: P256DH, auth: AUTH } };

const state = (on: boolean, vapidPublicKey: string | null = KEY): PushState => ({
  vapidPublicKey,
  subscription: on ? { id: '11111111-1111-4111-8111-111111111111', service: 'push.example', events: ['approval-requested'], createdAt: 1, lastSentAt: null, current: true } : null,
  subscriptions: [],
});

/** A fake browser subscription whose toJSON() is `json`. */
const subscriptionOf = (json: object): PushSubscription => ({ toJSON: () => json }) as unknown as PushSubscription;

function world(pushState: PushState | Response) {
  const requests: Array<{ path: string; method: string; body: unknown }> = [];
  const subscribed: unknown[] = [];
  const deps = {
    async fetch(path: string, init: RequestInit) {
      requests.push({ path, method: init.method ?? 'GET', body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
      if (path === '/api/push') return pushState instanceof Response ? pushState : new Response(JSON.stringify(pushState), { status: 200 });
      return new Response('{}', { status: 200 });
    },
    pushManager: {
      subscribe: async (options: PushSubscriptionOptionsInit) => (subscribed.push(options.applicationServerKey), subscriptionOf(fresh)),
    } as unknown as PushManager,
  };
  return { deps, requests, subscribed };
}

describe('resubscribe', () => {
  it('subscribes again with the Worker’s key and PUTs the new subscription with the same events', async () => {
    const w = world(state(true));
    expect(await resubscribe(w.deps, { oldSubscription: null, newSubscription: null })).toBe(true);
    expect(w.subscribed).toEqual([KEY]);
    expect(w.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/push', 'PUT /api/push/subscription']);
    expect(w.requests[1]?.body).toEqual({ ...fresh, events: ['approval-requested'] });
  });

  it('takes the browser’s new subscription when the event carries one', async () => {
    const w = world(state(true));
    const given = { ...fresh, endpoint: 'https://push.example/given' };
    expect(await resubscribe(w.deps, { oldSubscription: null, newSubscription: subscriptionOf(given) })).toBe(true);
    expect(w.subscribed).toEqual([]);
    expect(w.requests[1]?.body).toMatchObject({ endpoint: 'https://push.example/given' });
  });

  it('does nothing when push was turned off, or the session is gone', async () => {
    for (const answer of [state(false), new Response('{}', { status: 401 })]) {
      const w = world(answer);
      expect(await resubscribe(w.deps, { oldSubscription: null, newSubscription: null })).toBe(false);
      expect(w.subscribed).toEqual([]);
      expect(w.requests).toHaveLength(1);
    }
  });

  it('subscribes again when the Worker already deleted this session’s row (404/410) but the phone had one: all events', async () => {
    const w = world(state(false));
    const old = subscriptionOf({ ...fresh, endpoint: 'https://push.example/old' });
    expect(await resubscribe(w.deps, { oldSubscription: old, newSubscription: null })).toBe(true);
    expect(w.subscribed).toEqual([KEY]);
    expect(w.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/push', 'PUT /api/push/subscription']);
    expect(w.requests[1]?.body).toEqual(fresh);
  });

  it('does nothing when the Worker has no VAPID key (push off there), or the session is signed out, even with an old subscription', async () => {
    const old = subscriptionOf({ ...fresh, endpoint: 'https://push.example/old' });
    for (const answer of [state(true, null), state(false, null), new Response('{}', { status: 401 })]) {
      const w = world(answer);
      expect(await resubscribe(w.deps, { oldSubscription: old, newSubscription: null })).toBe(false);
      expect(w.subscribed).toEqual([]);
      expect(w.requests).toHaveLength(1);
    }
  });
});
