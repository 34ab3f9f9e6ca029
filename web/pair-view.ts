// The pairing page (/pair?user_code=…): the signed-in owner confirms the code a home agent shows, then Approve or Deny.
// RFC 8628 §3.3 user interaction; the decision is the Worker's to apply once. Never auto-approves from the link.
// Approving needs a passkey verified in the last 5 minutes: on `reverify-required` the page runs the passkey
// prompt and retries once.
import { UserCode } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError, describeError } from './api-error.ts';
import { describePasskeyError } from './passkey-error.ts';
import { required, showMessage } from './element.ts';
import { formatUserCode } from './routes.ts';

export type PairView = {
  /** Reset the page and prefill `userCode` (from the link; may be empty or not yet valid). */
  show(userCode: string): void;
};

/** Wire the pairing page inside `root` (#pair-form, #user-code, #approve, #deny, #pair-result, #pair-error). */
export function mountPairView(deps: {
  root: HTMLElement;
  api: Pick<Api, 'approveDevice' | 'denyDevice'>;
  /** Prove a passkey again for this session (the WebAuthn prompt). */
  reverify(): Promise<void>;
  report(error: unknown): void;
}): PairView {
  const { root, api } = deps;
  const form = required(root, '#pair-form', HTMLFormElement);
  const input = required(root, '#user-code', HTMLInputElement);
  const approve = required(root, '#approve', HTMLButtonElement);
  const deny = required(root, '#deny', HTMLButtonElement);
  const result = required(root, '#pair-result', HTMLElement);
  const error = required(root, '#pair-error', HTMLElement);
  let busy = false;
  let done = false;

  const update = (): void => {
    approve.disabled = deny.disabled = input.disabled = busy || done;
  };

  /** Approve; when the Worker wants a fresh passkey check, run it and approve again (once). */
  const approveWithPasskey = async (userCode: string): Promise<void> => {
    try {
      await api.approveDevice(userCode);
    } catch (failure) {
      if (!(failure instanceof ApiError) || failure.code !== 'reverify-required') throw failure;
      showMessage(result, 'Confirm it is you with your passkey…');
      await deps.reverify();
      await api.approveDevice(userCode);
    }
  };

  const decide = async (decision: 'approve' | 'deny'): Promise<void> => {
    if (busy || done) return;
    const code = UserCode.safeParse(input.value);
    if (!code.success) {
      showMessage(error, 'Enter the 8-letter code the home agent printed, like BCDF-GHJK.');
      return;
    }
    busy = true;
    showMessage(error, '');
    update();
    try {
      if (decision === 'approve') await approveWithPasskey(code.data);
      else await api.denyDevice(code.data);
      done = true;
      showMessage(
        result,
        decision === 'approve'
          ? `Approved ${formatUserCode(code.data)}. The home agent finishes pairing within a few seconds.`
          : `Denied ${formatUserCode(code.data)}. That home agent will not be paired.`,
      );
      result.dataset['decision'] = decision;
    } catch (failure) {
      const { title, detail } = describeError(failure);
      showMessage(result, '');
      showMessage(error, describePasskeyError(failure) ?? (detail ? `${title}: ${detail}` : title));
    } finally {
      busy = false;
      update();
    }
  };

  input.addEventListener('input', () => {
    const upper = input.value.toUpperCase();
    if (upper !== input.value) input.value = upper;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    decide('approve').catch(deps.report);
  });
  deny.addEventListener('click', () => {
    decide('deny').catch(deps.report);
  });

  return {
    show(userCode) {
      busy = false;
      done = false;
      input.value = userCode;
      delete result.dataset['decision'];
      showMessage(result, '');
      showMessage(error, '');
      update();
    },
  };
}
