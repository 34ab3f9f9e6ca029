// Settings → Passkeys (#passkeys): the owner's passkeys from GET /api/passkeys; add one (the passkey prompt, after a
// fresh passkey check when the Worker asks for one), rename one inline, remove one after a confirmation. The Worker
// refuses to remove the last passkey; its reason is shown as it comes.
import { PasskeyName, type PasskeyView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { h, required, showMessage } from './element.ts';
import { addPasskey } from './passkey.ts';
import { actionButton, confirmInline, failureText, settingsItem } from './settings-item.ts';
import { passkeyText, removePasskeyQuestion } from './settings-text.ts';
import { withReverify } from './with-reverify.ts';

export type PasskeysPanel = {
  /** Refetch and redraw. */
  refresh(): Promise<void>;
};

/** A failed action's line; a prompt refusing a passkey this authenticator already holds is said plainly. */
const addFailure = (failure: unknown): string =>
  failure instanceof Error && failure.name === 'InvalidStateError' ? 'This device already holds one of your passkeys.' : failureText(failure);

/** Wire `root` (#passkeys-list, #add-passkey form with #new-passkey-name, #passkeys-status, #passkeys-error). */
export function mountPasskeysPanel(deps: {
  root: HTMLElement;
  api: Pick<Api, 'listPasskeys' | 'addPasskeyOptions' | 'addPasskey' | 'renamePasskey' | 'removePasskey'>;
  /** Prove a passkey again for this session (the WebAuthn prompt). */
  reverify(): Promise<void>;
  now(): number;
  /** Something changed (for the activity log to refresh). */
  changed(): void;
  signedOut(message: string): void;
}): PasskeysPanel {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const list = required(root, '#passkeys-list', HTMLUListElement);
  const form = required(root, '#add-passkey', HTMLFormElement);
  const nameInput = required(root, '#new-passkey-name', HTMLInputElement);
  const addButton = required(root, '#add-passkey-button', HTMLButtonElement);
  const status = required(root, '#passkeys-status', HTMLElement);
  const error = required(root, '#passkeys-error', HTMLElement);
  let generation = 0;

  /** Run an action with `button` disabled; its failure is shown, its success message too. */
  const act = async (button: HTMLButtonElement, action: () => Promise<string | null>): Promise<void> => {
    button.disabled = true;
    showMessage(error, '');
    showMessage(status, '');
    try {
      const done = await action();
      if (done !== null) {
        deps.changed();
        // Redraw first, then say it is done: the message marks a list that shows the change (and a tap on the old
        // list's buttons cannot land on rows about to be replaced).
        await panel.refresh();
        showMessage(status, done);
      }
    } catch (failure) {
      showMessage(error, addFailure(failure));
    } finally {
      button.disabled = false;
    }
  };

  const rename = (passkey: PasskeyView, item: HTMLElement): void => {
    item.querySelector('.rename')?.remove();
    const input = h(doc, 'input', { attrs: { maxlength: '64', 'aria-label': `New name for the passkey ${passkey.name}`, autocomplete: 'off' } });
    input.value = passkey.name;
    const save = h(doc, 'button', { text: 'Save', attrs: { type: 'submit' } });
    const cancel = h(doc, 'button', { className: 'secondary', text: 'Cancel', attrs: { type: 'button' } });
    const renameForm = h(doc, 'form', { className: 'rename', attrs: { novalidate: '' } }, input, h(doc, 'div', { className: 'confirm-buttons' }, save, cancel));
    cancel.addEventListener('click', () => renameForm.remove());
    renameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = PasskeyName.safeParse(input.value);
      if (!name.success) return showMessage(error, 'A passkey’s name is 1 to 64 characters.');
      act(save, async () => {
        await api.renamePasskey(passkey.id, name.data);
        return `Renamed to “${name.data}”.`;
      }).catch((failure: unknown) => showMessage(error, failureText(failure)));
    });
    item.append(renameForm);
    input.focus();
  };

  const remove = async (passkey: PasskeyView, item: HTMLElement, button: HTMLButtonElement): Promise<void> => {
    if (!(await confirmInline(item, removePasskeyQuestion(passkey), 'Remove', `Yes, remove the passkey ${passkey.name}`))) return;
    await act(button, async () => {
      await withReverify(() => api.removePasskey(passkey.id), deps.reverify);
      if (!passkey.current) return `Removed “${passkey.name}”.`;
      deps.signedOut('The passkey this phone signed in with was removed. Sign in with another passkey.');
      return null;
    });
  };

  const draw = (passkeys: readonly PasskeyView[]): void => {
    const now = deps.now();
    const items = passkeys.map((passkey) => {
      const renameButton = actionButton(doc, 'Rename', `Rename the passkey ${passkey.name}`);
      const removeButton = actionButton(doc, 'Remove', `Remove the passkey ${passkey.name}`, 'danger');
      const item = settingsItem(doc, passkeyText(passkey, now), [renameButton, removeButton], { passkeyId: passkey.id, current: String(passkey.current) });
      renameButton.addEventListener('click', () => rename(passkey, item));
      removeButton.addEventListener('click', () => {
        remove(passkey, item, removeButton).catch((failure: unknown) => showMessage(error, failureText(failure)));
      });
      return item;
    });
    list.replaceChildren(...items);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = nameInput.value.trim();
    const name = typed === '' ? undefined : PasskeyName.safeParse(typed);
    if (name && !name.success) return showMessage(error, 'A passkey’s name is 1 to 64 characters.');
    act(addButton, async () => {
      const added = await addPasskey(api, deps.reverify, name?.data);
      nameInput.value = '';
      return `Added “${added.name}”.`;
    }).catch((failure: unknown) => showMessage(error, failureText(failure)));
  });

  const panel: PasskeysPanel = {
    async refresh() {
      const mine = ++generation;
      try {
        const { passkeys } = await api.listPasskeys();
        if (mine === generation) draw(passkeys);
      } catch (failure) {
        if (mine === generation) showMessage(error, failureText(failure));
      }
    },
  };
  return panel;
}
