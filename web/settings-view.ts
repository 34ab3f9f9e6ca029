// The settings page (/settings): notifications, sessions, passkeys, home agents and the activity log, each a panel of its own.
// Wiring only: loads the panels when shown, and reloads the activity log after any change made here.
import type { Api } from './api.ts';
import type { AuditContext } from './audit-line.ts';
import { mountAuditPanel } from './audit-panel.ts';
import { mountDevicesPanel } from './devices-panel.ts';
import { required } from './element.ts';
import { mountPasskeysPanel } from './passkeys-panel.ts';
import { browserPush } from './push-browser.ts';
import { mountPushPanel } from './push-panel.ts';
import { mountSessionsPanel } from './sessions-panel.ts';

export type SettingsView = {
  /** Load (or reload) every panel. */
  show(): void;
};

/** Wire the settings page inside `root` (#notifications, #sessions, #passkeys, #devices, #audit). */
export function mountSettingsView(deps: {
  root: HTMLElement;
  api: Api;
  now(): number;
  /** Prove a passkey again for this session (the WebAuthn prompt). */
  reverify(): Promise<void>;
  /** This phone's session ended here (revoked, or its passkey removed): show the sign-in with `message`. */
  signedOut(message: string): void;
  report(error: unknown): void;
}): SettingsView {
  const { root, api, now } = deps;
  const section = (id: string): HTMLElement => required(root, id, HTMLElement);
  let context: AuditContext = { currentSessionId: null, deviceNames: new Map() };
  const audit = mountAuditPanel({ root: section('#audit'), api, now });
  const changed = (): void => {
    audit.refresh(context).catch(deps.report);
  };
  const sessions = mountSessionsPanel({ root: section('#sessions'), api, now, changed, signedOut: deps.signedOut });
  const devices = mountDevicesPanel({ root: section('#devices'), api, now, changed });
  const win = root.ownerDocument.defaultView;
  if (win === null) throw new Error('the settings page is not in a window');
  const push = mountPushPanel({ root: section('#notifications'), api, browser: browserPush(win), changed });
  const passkeys = mountPasskeysPanel({ root: section('#passkeys'), api, reverify: deps.reverify, now, changed, signedOut: deps.signedOut });

  /** The activity log names actors: this phone's session and the agents' names come from the other two lists. */
  async function load(): Promise<void> {
    const [sessionList, deviceList] = await Promise.all([sessions.refresh(), devices.refresh()]);
    context = {
      currentSessionId: sessionList?.find((s) => s.current)?.id ?? null,
      deviceNames: new Map((deviceList ?? []).map((d) => [d.id, d.name])),
    };
    await audit.refresh(context);
  }

  return {
    show() {
      push.refresh().catch(deps.report);
      passkeys.refresh().catch(deps.report);
      load().catch(deps.report);
    },
  };
}
