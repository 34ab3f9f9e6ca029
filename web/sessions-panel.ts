// Settings → Sessions (#sessions): the owner's signed-in browsers from GET /api/sessions, each revocable after a
// confirmation. Revoking this phone's own session signs it out; the Worker closes the other's sockets.
import type { SessionView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError } from './api-error.ts';
import { h, required, showMessage } from './element.ts';
import { actionButton, confirmInline, failureText, settingsItem } from './settings-item.ts';
import { revokeSessionQuestion, sessionText } from './settings-text.ts';

export type SessionsPanel = {
  /** Refetch and redraw; resolves with the sessions shown (null when the list could not be loaded). */
  refresh(): Promise<readonly SessionView[] | null>;
};

/** Wire `root` (#sessions-list, #sessions-error). `signedOut` runs after this phone's own session was revoked. */
export function mountSessionsPanel(deps: {
  root: HTMLElement;
  api: Pick<Api, 'listSessions' | 'revokeSession'>;
  now(): number;
  /** Something changed (for the activity log to refresh). */
  changed(): void;
  signedOut(message: string): void;
}): SessionsPanel {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const list = required(root, '#sessions-list', HTMLUListElement);
  const error = required(root, '#sessions-error', HTMLElement);
  let generation = 0;

  const revoke = async (session: SessionView, item: HTMLElement, button: HTMLButtonElement): Promise<void> => {
    const label = sessionText(session, deps.now()).title;
    if (!(await confirmInline(item, revokeSessionQuestion(session), 'Revoke', `Yes, revoke the session of ${label}`))) return;
    button.disabled = true;
    showMessage(error, '');
    try {
      await api.revokeSession(session.id);
    } catch (failure) {
      // Already revoked elsewhere (409): the list is out of date, so redraw it; anything else is shown.
      if (!(failure instanceof ApiError && failure.code === 'conflict')) {
        showMessage(error, failureText(failure));
        button.disabled = false;
        return;
      }
    }
    if (session.current) return deps.signedOut('This phone’s session was revoked. Sign in again with your passkey.');
    deps.changed();
    await panel.refresh();
  };

  const draw = (sessions: readonly SessionView[]): void => {
    const now = deps.now();
    const items = sessions.map((session) => {
      const text = sessionText(session, now);
      const label = session.current ? 'Revoke this phone’s session (signs out)' : `Revoke the session of ${text.title}, IP ${session.ip ?? 'unknown'}`;
      const button = actionButton(doc, 'Revoke', label, 'danger');
      const item = settingsItem(doc, text, [button], { sessionId: session.id, current: String(session.current) });
      button.addEventListener('click', () => {
        revoke(session, item, button).catch((failure: unknown) => showMessage(error, failureText(failure)));
      });
      return item;
    });
    list.replaceChildren(...(items.length ? items : [h(doc, 'li', { className: 'empty', text: 'No live sessions.' })]));
  };

  const panel: SessionsPanel = {
    async refresh() {
      const mine = ++generation;
      try {
        const { sessions } = await api.listSessions();
        if (mine === generation) {
          draw(sessions);
          showMessage(error, '');
        }
        return sessions;
      } catch (failure) {
        if (mine === generation) showMessage(error, failureText(failure));
        return null;
      }
    },
  };
  return panel;
}
