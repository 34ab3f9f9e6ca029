// Being offline as a calm state, not an error: the #offline-note line shows while the phone has no network, API calls
// that fail for that reason raise no error banner, and a start that could not reach the Worker retries on return.
// Owns only that note; the room's connection light is web/connection-indicator.ts.
import { ApiError } from './api-error.ts';

/** The note's text (index.html, right after #app-error). */
export const OFFLINE_NOTE = 'You are offline. Hearth carries on when the network is back.';
/** The start panel's line when the first call failed offline, below the note (the page has no data to show yet). */
export const OFFLINE_START = 'Hearth needs the network to open, and starts by itself as soon as this phone is back online.';

/** True for a call that never got an answer (ApiError `network`) while the browser says it has no network. */
export function isOfflineFailure(failure: unknown, navigator: Pick<Navigator, 'onLine'>): boolean {
  return failure instanceof ApiError && failure.code === 'network' && !navigator.onLine;
}

export type OfflineState = {
  /** True (the caller shows nothing) when `error` is only the phone being offline, already said by the note. */
  absorbs(error: unknown): boolean;
  /** Run `fn` once, the next time the network returns. */
  whenOnline(fn: () => void): void;
};

/** Keep `#offline-note` in step with the browser's online/offline events. Missing markup leaves the note out. */
export function mountOfflineState(win: Window): OfflineState {
  const note = win.document.querySelector<HTMLElement>('#offline-note');
  const draw = (): void => {
    if (!note) return;
    note.textContent = OFFLINE_NOTE;
    note.hidden = win.navigator.onLine;
  };
  win.addEventListener('online', draw);
  win.addEventListener('offline', draw);
  draw();
  return {
    absorbs: (error) => isOfflineFailure(error, win.navigator),
    whenOnline: (fn) => win.addEventListener('online', () => fn(), { once: true }),
  };
}
