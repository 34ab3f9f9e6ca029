// What Settings → Notifications says: server keys, browser support, iOS outside the home screen, permission, on/off.
import { describe, expect, it } from 'vitest';
import type { PushState, PushSubscriptionView } from '../protocol/index.ts';
import { PUSH_EVENT_LABELS, pushPanelText, subscribeFailureText } from './push-status.ts';
import { isAppleMobile, pushSupport } from './push-support.ts';

const sub = (current: boolean): PushSubscriptionView => ({
  id: current ? '11111111-1111-4111-8111-111111111111' : '22222222-2222-4222-8222-222222222222',
  service: '127.0.0.1',
  events: ['task-succeeded'],
  createdAt: 1,
  lastSentAt: null,
  current,
});
const state = (over: Partial<PushState> = {}): PushState => ({ vapidPublicKey: 'BKey', subscription: null, subscriptions: [], ...over });
const on = state({ subscription: sub(true), subscriptions: [sub(true)] });

describe('pushPanelText', () => {
  it('off: offers to turn on, and counts other phones', () => {
    expect(pushPanelText(state(), 'supported', 'default')).toEqual({
      state: 'off',
      status: 'This phone does not get notifications.',
      help: null,
      canTurnOn: true,
      canTurnOff: false,
    });
    expect(pushPanelText(state({ subscriptions: [sub(false)] }), 'supported', 'granted').status).toBe(
      'This phone does not get notifications. 1 other phone gets them.',
    );
  });

  it('on: offers to turn off', () => {
    expect(pushPanelText(on, 'supported', 'granted')).toMatchObject({ state: 'on', status: 'This phone gets notifications.', canTurnOn: false, canTurnOff: true });
    expect(pushPanelText({ ...on, subscriptions: [sub(true), sub(false), sub(false)] }, 'supported', 'granted').status).toBe(
      'This phone gets notifications. 2 other phones get them.',
    );
  });

  it.each([
    ['no VAPID keys on the server', state({ vapidPublicKey: null }), 'supported', 'default', 'no-keys', 'Notifications are not set up on the server.'],
    ['iOS Safari in a tab', state(), 'home-screen-first', null, 'home-screen-first', 'Add Hearth to your Home Screen first.'],
    ['no push in this browser', state(), 'unsupported', null, 'unsupported', 'This browser cannot receive notifications.'],
    ['permission denied', state(), 'supported', 'denied', 'denied', 'Notifications are blocked for Hearth in this browser.'],
  ] as const)('%s: says so, explains, offers no Turn on', (_, s, support, permission, expected, status) => {
    const text = pushPanelText(s, support, permission);
    expect(text).toMatchObject({ state: expected, status, canTurnOn: false, canTurnOff: false });
    expect(text.help).toBeTruthy();
  });

  it('blocked but still subscribed on the server: Turn off stays', () => {
    expect(pushPanelText(on, 'supported', 'denied')).toMatchObject({ state: 'denied', canTurnOff: true });
  });
});

describe('pushSupport', () => {
  const all = { serviceWorker: true, pushManager: true, notification: true, standalone: false, appleMobile: false };
  it('needs a service worker, PushManager and Notification', () => {
    expect(pushSupport(all)).toBe('supported');
    expect(pushSupport({ ...all, pushManager: false })).toBe('unsupported');
    expect(pushSupport({ ...all, serviceWorker: false })).toBe('unsupported');
  });
  it('iPhone Safari without push asks for the home screen first; installed but still without push is unsupported', () => {
    expect(pushSupport({ ...all, pushManager: false, notification: false, appleMobile: true })).toBe('home-screen-first');
    expect(pushSupport({ ...all, pushManager: false, notification: false, appleMobile: true, standalone: true })).toBe('unsupported');
  });
  it('recognises iPhones and iPads, also an iPad asking for the desktop site', () => {
    expect(isAppleMobile('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1', 5)).toBe(true);
    expect(isAppleMobile('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15', 5)).toBe(true);
    expect(isAppleMobile('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15', 0)).toBe(false);
    expect(isAppleMobile('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0.0.0 Mobile Safari/537.36', 5)).toBe(false);
  });
});

describe('labels and failures', () => {
  it('every event has a label', () => {
    expect(Object.values(PUSH_EVENT_LABELS).every((label) => label.length > 0)).toBe(true);
  });
  it('a refused subscribe names the browser’s error', () => {
    expect(subscribeFailureText(new DOMException('Registration failed - permission denied', 'AbortError'))).toContain('AbortError: Registration failed - permission denied');
  });
});
