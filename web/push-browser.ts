// This browser's side of web push: support and permission, and the PushManager subscription made through the
// app's service worker (registered by app-update.ts). Owns no state: every call asks the browser again.
import { isAppleMobile, pushSupport, type PushSupport } from './push-support.ts';

/** A subscription as PUT /api/push/subscription takes it (the fields of PushSubscription.toJSON()). */
export type BrowserSubscription = { endpoint: string; expirationTime: number | null; keys: { p256dh: string; auth: string } };

export type PushBrowser = {
  support(): PushSupport;
  /** Notification.permission, or null when the browser has no Notification. */
  permission(): NotificationPermission | null;
  /** Ask for permission; call it first thing in a tap handler (Safari allows the prompt only from a user gesture). */
  requestPermission(): Promise<NotificationPermission>;
  /**
   * A fresh subscription for `applicationServerKey` (the Worker's VAPID public key, base64url): any older one is
   * unsubscribed first (it may be dead at the push service, or bound to another key). Throws the browser's error.
   */
  subscribe(applicationServerKey: string): Promise<BrowserSubscription>;
  /** Drop this browser's subscription, if any. */
  unsubscribe(): Promise<void>;
};

/** How long to wait for the service worker to be active, in ms (it installs on the first visit). */
const READY_TIMEOUT_MS = 15_000;

/** A subscription's JSON, checked: the endpoint and both keys must be there. */
function fromJson(json: PushSubscriptionJSON): BrowserSubscription {
  const { endpoint, keys } = json;
  const p256dh = keys?.['p256dh'];
  const auth = keys?.['auth'];
  if (!endpoint || !p256dh || !auth) throw new Error('The browser made a subscription without an endpoint or keys.');
  return { endpoint, expirationTime: json.expirationTime ?? null, keys: { p256dh, auth } };
}

/** The push side of the browser in `win`. */
export function browserPush(win: Window & typeof globalThis): PushBrowser {
  const nav = win.navigator;
  const hasNotification = 'Notification' in win;

  const registration = async (): Promise<ServiceWorkerRegistration> => {
    let timer: number | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = win.setTimeout(() => reject(new Error('The app’s service worker is not running: reload the page and try again.')), READY_TIMEOUT_MS);
    });
    try {
      return await Promise.race([nav.serviceWorker.ready, late]);
    } finally {
      win.clearTimeout(timer);
    }
  };

  return {
    support: () =>
      pushSupport({
        serviceWorker: 'serviceWorker' in nav,
        pushManager: 'PushManager' in win,
        notification: hasNotification,
        standalone: win.matchMedia('(display-mode: standalone)').matches || ('standalone' in nav && nav.standalone === true),
        appleMobile: isAppleMobile(nav.userAgent, nav.maxTouchPoints),
      }),
    permission: () => (hasNotification ? win.Notification.permission : null),
    requestPermission: () => win.Notification.requestPermission(),
    async subscribe(applicationServerKey) {
      const { pushManager } = await registration();
      const old = await pushManager.getSubscription();
      if (old) await old.unsubscribe();
      const subscription = await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
      return fromJson(subscription.toJSON());
    },
    async unsubscribe() {
      if (!('serviceWorker' in nav)) return;
      const current = await nav.serviceWorker.getRegistration('/');
      const subscription = await current?.pushManager.getSubscription();
      if (subscription) await subscription.unsubscribe();
    },
  };
}
