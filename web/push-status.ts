// What Settings → Notifications says and offers, from the server's push state, the browser's support and the
// notification permission; and the words for each event. Pure: facts in, text and choices out.
import { AGENT_OFFLINE_PUSH_MINUTES, type PushEvent, type PushState } from '../protocol/index.ts';
import type { PushSupport } from './push-support.ts';

/** The section's state (also its `data-state`, for styles and tests). */
export type PushPanelState = 'on' | 'off' | 'denied' | 'no-keys' | 'home-screen-first' | 'unsupported';

export type PushPanelText = {
  state: PushPanelState;
  /** One line: does this phone get notifications? */
  status: string;
  /** What to do about it, when something is in the way. */
  help: string | null;
  /** Offer "Turn on notifications". */
  canTurnOn: boolean;
  /** Offer "Turn off" (the server still has this phone's subscription). */
  canTurnOff: boolean;
};

/** The checkbox label of each event. */
export const PUSH_EVENT_LABELS: Record<PushEvent, string> = {
  'task-succeeded': 'A task succeeds',
  'task-failed': 'A task fails',
  'task-lost': 'A task is lost (its home agent stopped answering)',
  'task-timed-out': 'A task runs out of time',
  'approval-requested': 'A tool call needs your approval',
  'agent-offline': `The home agent has been offline for ${AGENT_OFFLINE_PUSH_MINUTES} minutes`,
};

/** "1 other phone gets them." / "2 other phones get them." / "" */
function othersText(state: PushState): string {
  const others = state.subscriptions.filter((s) => !s.current).length;
  if (others === 0) return '';
  return others === 1 ? ' 1 other phone gets them.' : ` ${others} other phones get them.`;
}

/**
 * Decide what the section shows. In order: server without VAPID keys, browser without push, iOS outside the home
 * screen, permission denied, then on (the server has this phone's subscription) or off. `permission` is
 * Notification.permission, or null when the browser has no Notification.
 */
export function pushPanelText(state: PushState, support: PushSupport, permission: NotificationPermission | null): PushPanelText {
  const subscribed = state.subscription !== null;
  const others = othersText(state);
  const blocked = (panelState: PushPanelState, status: string, help: string): PushPanelText => ({
    state: panelState,
    status,
    help,
    canTurnOn: false,
    canTurnOff: subscribed,
  });
  if (state.vapidPublicKey === null) {
    return blocked('no-keys', 'Notifications are not set up on the server.', 'The Worker has no VAPID keys. Run `npm run push:keys` on your computer, add the keys as Worker secrets as it says, then reload.');
  }
  if (support === 'home-screen-first') {
    return blocked('home-screen-first', 'Add Hearth to your Home Screen first.', 'On iPhone and iPad, Safari delivers notifications only to apps on the Home Screen: tap Share, then “Add to Home Screen”, and open Hearth from there.');
  }
  if (support === 'unsupported') {
    return blocked('unsupported', 'This browser cannot receive notifications.', 'Open Hearth in Chrome, Edge, Firefox or Samsung Internet, or add it to the Home Screen on iPhone (iOS 16.4 or later).');
  }
  if (permission === 'denied') {
    return blocked('denied', 'Notifications are blocked for Hearth in this browser.', 'Allow notifications for this site in the browser’s settings (the icon by the address, or Settings → Notifications), then come back.');
  }
  if (subscribed) return { state: 'on', status: `This phone gets notifications.${others}`, help: null, canTurnOn: false, canTurnOff: true };
  return { state: 'off', status: `This phone does not get notifications.${others}`, help: null, canTurnOn: true, canTurnOff: false };
}

/** The line for a subscribe() the browser refused ("AbortError: Registration failed - …" and the like). */
export function subscribeFailureText(failure: unknown): string {
  const what = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
  return `This browser could not subscribe to notifications (${what}). Reload the page and try again.`;
}
