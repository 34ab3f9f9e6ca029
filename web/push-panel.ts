// Settings → Notifications (#notifications): whether this phone gets pushes, turning them on (permission →
// PushManager subscription → PUT) and off (DELETE → unsubscribe), and which events push (PATCH). The server's
// GET /api/push is the truth for "on"; the browser says what is possible.
import { PushEvent, type PushState, type PushSubscriptionView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { h, required, showMessage } from './element.ts';
import type { PushBrowser } from './push-browser.ts';
import { PUSH_EVENT_LABELS, pushPanelText, subscribeFailureText } from './push-status.ts';
import { failureText } from './settings-item.ts';

export type PushPanel = {
  /** Refetch GET /api/push and redraw. */
  refresh(): Promise<void>;
};

/**
 * Wire `root` (#push-status, #push-help, #push-on, #push-events with #push-event-list, #push-off, #push-result,
 * #push-error). `changed` runs after the subscription changed (for the activity log).
 */
export function mountPushPanel(deps: {
  root: HTMLElement;
  api: Pick<Api, 'pushState' | 'putPushSubscription' | 'setPushEvents' | 'deletePushSubscription'>;
  browser: PushBrowser;
  changed(): void;
}): PushPanel {
  const { root, api, browser } = deps;
  const doc = root.ownerDocument;
  const status = required(root, '#push-status', HTMLElement);
  const help = required(root, '#push-help', HTMLElement);
  const onButton = required(root, '#push-on', HTMLButtonElement);
  const offButton = required(root, '#push-off', HTMLButtonElement);
  const events = required(root, '#push-events', HTMLFieldSetElement);
  const eventList = required(root, '#push-event-list', HTMLElement);
  const result = required(root, '#push-result', HTMLElement);
  const error = required(root, '#push-error', HTMLElement);
  let state: PushState | null = null;
  let generation = 0;

  const boxes = PushEvent.options.map((event) => {
    const input = h(doc, 'input', { attrs: { type: 'checkbox', name: 'push-event', value: event } });
    eventList.append(h(doc, 'label', { className: 'push-event' }, input, h(doc, 'span', { text: PUSH_EVENT_LABELS[event] })));
    return { event, input };
  });
  const chosen = (): PushEvent[] => boxes.filter((b) => b.input.checked).map((b) => b.event);

  const draw = (): void => {
    if (state === null) return;
    const text = pushPanelText(state, browser.support(), browser.permission());
    status.dataset.state = text.state;
    status.textContent = text.status;
    showMessage(help, text.help ?? '');
    onButton.hidden = !text.canTurnOn;
    offButton.hidden = !text.canTurnOff;
    const subscription = state.subscription;
    events.hidden = subscription === null;
    for (const box of boxes) box.input.checked = subscription?.events.includes(box.event) ?? false;
  };

  /** Run `action` with the section's controls disabled and its messages cleared; a failure is shown. */
  const act = async (action: () => Promise<string | null>): Promise<void> => {
    onButton.disabled = offButton.disabled = events.disabled = true;
    showMessage(error, '');
    showMessage(result, '');
    try {
      const done = await action();
      if (done !== null) showMessage(result, done);
    } catch (failure) {
      showMessage(error, failureText(failure));
      draw();
    } finally {
      onButton.disabled = offButton.disabled = events.disabled = false;
    }
  };

  const stored = (subscription: PushSubscriptionView): void => {
    if (state) state = { ...state, subscription };
    deps.changed();
  };

  onButton.addEventListener('click', () => {
    // First, inside the tap: Safari shows the permission prompt only from a user gesture.
    const asked = browser.permission() === 'granted' ? Promise.resolve<NotificationPermission>('granted') : browser.requestPermission();
    act(async () => {
      const permission = await asked;
      if (permission !== 'granted') {
        draw();
        return permission === 'denied' ? null : 'Notifications were not allowed. Tap “Turn on notifications” to be asked again.';
      }
      const key = state?.vapidPublicKey;
      if (!key) return null;
      const subscription = await browser.subscribe(key).catch((failure: unknown) => {
        showMessage(error, subscribeFailureText(failure));
        return null;
      });
      if (subscription === null) return null;
      stored(await api.putPushSubscription(subscription));
      await panel.refresh();
      return 'Notifications are on for this phone.';
    }).catch((failure: unknown) => showMessage(error, failureText(failure)));
  });

  offButton.addEventListener('click', () => {
    act(async () => {
      await api.deletePushSubscription();
      // The server no longer pushes here; dropping the browser's side too is tidy but not essential.
      await browser.unsubscribe().catch(() => undefined);
      deps.changed();
      await panel.refresh();
      return 'Notifications are off for this phone.';
    }).catch((failure: unknown) => showMessage(error, failureText(failure)));
  });

  events.addEventListener('change', () => {
    const wanted = chosen();
    act(async () => {
      stored(await api.setPushEvents(wanted));
      draw();
      return 'Saved.';
    }).catch((failure: unknown) => showMessage(error, failureText(failure)));
  });

  const panel: PushPanel = {
    async refresh() {
      const mine = ++generation;
      try {
        const next = await api.pushState();
        if (mine !== generation) return;
        state = next;
        draw();
      } catch (failure) {
        if (mine !== generation) return;
        status.dataset.state = 'unknown';
        status.textContent = 'Could not check notifications.';
        showMessage(error, failureText(failure));
      }
    },
  };
  return panel;
}
