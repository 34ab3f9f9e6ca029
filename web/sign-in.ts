// Signing the phone in: a `#setup=<token>` link creates a passkey (after a tap), a live session is used as it is,
// and otherwise the sign-in panel offers "Sign in with a passkey". The session lives in the Worker's HttpOnly cookie;
// the setup token is dropped from the URL before anything is sent.
import type { Me } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError, describeError } from './api-error.ts';
import { required, showMessage } from './element.ts';
import { isOfflineFailure, OFFLINE_START } from './offline-state.ts';
import { createPasskey, signInWithPasskey, type PasskeyApi } from './passkey.ts';
import { describePasskeyError } from './passkey-error.ts';
import { setupTokenFromHash } from './routes.ts';

export const NOT_SIGNED_IN = 'Sign in with your passkey. No passkey yet? Open a one-time setup link.';

export type SignInDeps = {
  doc: Document;
  api: PasskeyApi & Pick<Api, 'me'>;
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** Show `section` and hide the app's other sections. */
  showOnly(section: HTMLElement): void;
};

/** One line for a failure: the passkey prompt's own sentence, else the API error's title and detail. */
function sentence(failure: unknown): string {
  const prompt = describePasskeyError(failure);
  if (prompt !== null) return prompt;
  const { title, detail } = describeError(failure);
  return detail ? `${title}: ${detail}` : title;
}

/** Resolves at the next tap on `button` (replacing any earlier wait on it). */
const nextTap = (button: HTMLButtonElement): Promise<void> =>
  new Promise((resolve) => {
    button.onclick = () => resolve();
  });

/**
 * Run `attempt` on each tap of `button` until it succeeds; each failure is shown in `error` (`escape` may turn a
 * failure into another outcome instead, e.g. a dead setup link into the sign-in panel).
 */
async function tapUntil<T>(button: HTMLButtonElement, error: HTMLElement, attempt: () => Promise<T>, escape?: (failure: unknown) => Promise<T> | null): Promise<T> {
  for (;;) {
    await nextTap(button);
    button.disabled = true;
    showMessage(error, '');
    try {
      return await attempt();
    } catch (failure) {
      const other = escape?.(failure) ?? null;
      if (other) return other;
      showMessage(error, sentence(failure));
    } finally {
      button.disabled = false;
    }
  }
}

/** Show the sign-in panel with `message`; resolves once a passkey signed this browser in. */
export function passkeySignIn(deps: SignInDeps, message: string): Promise<Me> {
  const { doc } = deps;
  required(doc, '#signed-out-message', HTMLElement).textContent = message;
  required(doc, '#retry', HTMLButtonElement).hidden = true;
  const button = required(doc, '#passkey-sign-in', HTMLButtonElement);
  button.hidden = false;
  deps.showOnly(required(doc, '#signed-out', HTMLElement));
  return tapUntil(button, required(doc, '#sign-in-error', HTMLElement), () => signInWithPasskey(deps.api));
}

/** Show the setup panel for a setup link's `token`; resolves once a passkey was created and the browser signed in. */
function createPasskeyFromLink(deps: SignInDeps, token: string): Promise<Me> {
  const { doc } = deps;
  deps.showOnly(required(doc, '#setup', HTMLElement));
  const deadLink = (failure: unknown): Promise<Me> | null => {
    if (!(failure instanceof ApiError) || failure.code !== 'unauthenticated') return null;
    return passkeySignIn(deps, `That setup link did not work (${failure.detail ?? failure.title}); links work once and expire after 10 minutes. ${NOT_SIGNED_IN}`);
  };
  return tapUntil(required(doc, '#create-passkey', HTMLButtonElement), required(doc, '#setup-error', HTMLElement), () => createPasskey(deps.api, token), deadLink);
}

/**
 * Sign in on load: through the setup link in `location.hash` if there is one, else with the live session, else
 * with a passkey. Resolves with who is signed in, or null when the Worker cannot be reached (the panel offers a retry).
 */
export async function signIn(deps: SignInDeps): Promise<Me | null> {
  const { api, location, history, doc } = deps;
  const token = setupTokenFromHash(location.hash);
  if (location.hash.startsWith('#setup=')) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  if (token !== null) return createPasskeyFromLink(deps, token);
  try {
    return await api.me();
  } catch (failure) {
    if (failure instanceof ApiError && failure.code === 'unauthenticated') return passkeySignIn(deps, NOT_SIGNED_IN);
    const offline = doc.defaultView !== null && isOfflineFailure(failure, doc.defaultView.navigator);
    required(doc, '#signed-out-message', HTMLElement).textContent = offline ? OFFLINE_START : sentence(failure);
    required(doc, '#passkey-sign-in', HTMLButtonElement).hidden = true;
    required(doc, '#retry', HTMLButtonElement).hidden = false;
    deps.showOnly(required(doc, '#signed-out', HTMLElement));
    return null;
  }
}
