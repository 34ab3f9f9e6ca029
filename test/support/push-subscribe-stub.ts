// TEST ONLY. Headless Chromium has no push service of its own: a real PushManager.subscribe() is refused at once
// ("AbortError: Registration failed - permission denied", notifications granted or not; test/e2e/push.test.ts checks
// that first). The push service is the part that cannot be reached from here, so its stand-in (push-service.ts)
// mints the subscription: this init script makes the page's PushManager.prototype.subscribe/getSubscription/
// unsubscribe answer from the stand-in. Everything else runs unchanged: the settings page, the permission prompt,
// the PUT to the Worker, the Worker's encrypted pushes, and the service worker that shows them.
import type { BrowserContext } from 'playwright-core';
import type { PushService, PushServiceSubscription } from './push-service.ts';

/** The name of the binding the init script calls (page → Node). */
const BINDING = '__hearthTestPushService';

export type PushSubscribeStub = {
  /** The subscription the page holds now (null before subscribe or after unsubscribe). */
  current(): PushServiceSubscription | null;
  /** Every subscription minted for the page, oldest first, with the applicationServerKey it was asked for. */
  minted(): Array<{ subscription: PushServiceSubscription; applicationServerKey: string }>;
};

/**
 * The page side, serialised by playwright and run before the app's scripts in every page of the context. Its
 * subscription object has what PushSubscription offers (endpoint, expirationTime, options, getKey, toJSON,
 * unsubscribe); the key is passed to the stand-in as base64url, so its VAPID check uses the key the app subscribed with.
 */
function installStub(binding: string): void {
  const call = (op: 'subscribe' | 'get' | 'unsubscribe', key?: string): Promise<unknown> => {
    const fn: unknown = Reflect.get(window, binding);
    if (typeof fn !== 'function') return Promise.reject(new Error(`${binding} is not installed`));
    return Promise.resolve(fn(op, key));
  };
  const toBase64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const fromBase64url = (text: string): ArrayBuffer => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  const keyText = (key: unknown): string => {
    if (typeof key === 'string') return key;
    if (key instanceof ArrayBuffer) return toBase64url(new Uint8Array(key));
    if (ArrayBuffer.isView(key)) return toBase64url(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    throw new TypeError('applicationServerKey is missing');
  };
  const wrap = (minted: unknown): object | null => {
    if (typeof minted !== 'object' || minted === null) return null;
    const endpoint: unknown = Reflect.get(minted, 'endpoint');
    const keys: unknown = Reflect.get(minted, 'keys');
    if (typeof endpoint !== 'string' || typeof keys !== 'object' || keys === null) return null;
    const p256dh = String(Reflect.get(keys, 'p256dh'));
    const auth = String(Reflect.get(keys, 'auth'));
    return {
      endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: null },
      getKey: (name: string) => (name === 'p256dh' ? fromBase64url(p256dh) : name === 'auth' ? fromBase64url(auth) : null),
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
      unsubscribe: async () => (await call('unsubscribe'), true),
    };
  };
  PushManager.prototype.subscribe = async function subscribe(options?: PushSubscriptionOptionsInit) {
    return wrap(await call('subscribe', keyText(options?.applicationServerKey))) as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function getSubscription() {
    return wrap(await call('get')) as PushSubscription | null;
  };
}

/** Install the stub in every page of `context`, backed by `pushService`. Call before the first page loads. */
export async function stubPushSubscribe(context: BrowserContext, pushService: PushService): Promise<PushSubscribeStub> {
  let current: PushServiceSubscription | null = null;
  const minted: Array<{ subscription: PushServiceSubscription; applicationServerKey: string }> = [];
  await context.exposeBinding(BINDING, (_source, op: unknown, key: unknown) => {
    if (op === 'subscribe') {
      if (typeof key !== 'string') throw new Error('subscribe without an applicationServerKey');
      current = pushService.createSubscription({ applicationServerKey: key });
      minted.push({ subscription: current, applicationServerKey: key });
    } else if (op === 'unsubscribe') {
      current = null;
    }
    return current;
  });
  await context.addInitScript(installStub, BINDING);
  return { current: () => current, minted: () => [...minted] };
}
