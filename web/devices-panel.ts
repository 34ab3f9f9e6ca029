// Settings → Devices (#devices): the owner's paired home agents from GET /api/devices — what each offers, when it
// was last seen, revoked ones greyed out — and Revoke after a confirmation (the Worker ends its running tasks).
import type { DeviceView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError } from './api-error.ts';
import { h, required, showMessage } from './element.ts';
import { actionButton, confirmInline, failureText, settingsItem } from './settings-item.ts';
import { deviceText, revokeDeviceQuestion } from './settings-text.ts';

export type DevicesPanel = {
  /** Refetch and redraw; resolves with the devices shown (null when the list could not be loaded). */
  refresh(): Promise<readonly DeviceView[] | null>;
};

/** Wire `root` (#devices-list, #devices-error). */
export function mountDevicesPanel(deps: {
  root: HTMLElement;
  api: Pick<Api, 'listDevices' | 'revokeDevice'>;
  now(): number;
  /** Something changed (for the activity log to refresh). */
  changed(): void;
}): DevicesPanel {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const list = required(root, '#devices-list', HTMLUListElement);
  const error = required(root, '#devices-error', HTMLElement);
  let generation = 0;

  const revoke = async (device: DeviceView, item: HTMLElement, button: HTMLButtonElement): Promise<void> => {
    if (!(await confirmInline(item, revokeDeviceQuestion(device), 'Revoke', `Yes, revoke the home agent ${device.name}`))) return;
    button.disabled = true;
    showMessage(error, '');
    try {
      await api.revokeDevice(device.id);
    } catch (failure) {
      // Already revoked (409): the list is out of date, so redraw it; anything else is shown.
      if (!(failure instanceof ApiError && failure.code === 'conflict')) {
        showMessage(error, failureText(failure));
        button.disabled = false;
        return;
      }
    }
    deps.changed();
    await panel.refresh();
  };

  const draw = (devices: readonly DeviceView[]): void => {
    const now = deps.now();
    const items = devices.map((device) => {
      const revoked = device.revokedAt !== null;
      const button = actionButton(doc, 'Revoke', `Revoke the home agent ${device.name}`, 'danger');
      const item = settingsItem(doc, deviceText(device, now), revoked ? [] : [button], { deviceId: device.id, revoked: String(revoked) });
      button.addEventListener('click', () => {
        revoke(device, item, button).catch((failure: unknown) => showMessage(error, failureText(failure)));
      });
      return item;
    });
    const empty = h(doc, 'li', { className: 'empty', text: 'No home agent paired yet. Run hearth login on your home computer to pair one.' });
    list.replaceChildren(...(items.length ? items : [empty]));
  };

  const panel: DevicesPanel = {
    async refresh() {
      const mine = ++generation;
      try {
        const { devices } = await api.listDevices();
        if (mine === generation) {
          draw(devices);
          showMessage(error, '');
        }
        return devices;
      } catch (failure) {
        if (mine === generation) showMessage(error, failureText(failure));
        return null;
      }
    },
  };
  return panel;
}
