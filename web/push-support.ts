// Whether this browser can receive web push, and if not, why: no support at all, or iOS/iPadOS Safari outside an
// installed home-screen app (Safari 16.4+ has push only there). Pure: facts about the browser in, a verdict out.

export type PushSupport = 'supported' | 'home-screen-first' | 'unsupported';

/** What the page can see about the browser it runs in. */
export type BrowserFacts = {
  /** `'serviceWorker' in navigator` */
  serviceWorker: boolean;
  /** `'PushManager' in window` */
  pushManager: boolean;
  /** `'Notification' in window` */
  notification: boolean;
  /** Opened as an installed app: `(display-mode: standalone)` or iOS's `navigator.standalone`. */
  standalone: boolean;
  /** An iPhone, iPad or iPod (iPadOS also reports itself as a Mac with touch points). */
  appleMobile: boolean;
};

/** Push works when service workers, PushManager and Notification all exist; on Apple phones not yet installed, add it first. */
export function pushSupport(facts: BrowserFacts): PushSupport {
  if (facts.serviceWorker && facts.pushManager && facts.notification) return 'supported';
  if (facts.appleMobile && !facts.standalone) return 'home-screen-first';
  return 'unsupported';
}

/** iPhone/iPad/iPod by User-Agent, or an iPad in desktop mode ("Macintosh" with a touch screen). */
export function isAppleMobile(userAgent: string, maxTouchPoints: number): boolean {
  return /\b(iPhone|iPad|iPod)\b/.test(userAgent) || (/\bMacintosh\b/.test(userAgent) && maxTouchPoints > 1);
}
