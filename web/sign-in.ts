// Sign-in on load: redeem a `#signin=<token>` link (dropping the fragment from the URL first), then ask who we are.
// Never stores the token; the session lives in the Worker's HttpOnly cookie.
import type { Me } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError, describeError } from './api-error.ts';
import { signInTokenFromHash } from './routes.ts';

export const NOT_SIGNED_IN = 'Not signed in — open the sign-in link printed by `npm start`';

export type SignInOutcome =
  | { kind: 'signed-in'; me: Me }
  | { kind: 'signed-out'; message: string }
  | { kind: 'unreachable'; message: string };

/**
 * Redeem the sign-in token in `location.hash`, if any, then GET /api/me. The fragment is removed with
 * history.replaceState before the token is sent, so it never lingers in history or a bookmark.
 */
export async function signIn(deps: {
  api: Pick<Api, 'signIn' | 'me'>;
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
}): Promise<SignInOutcome> {
  const { api, location, history } = deps;
  let linkProblem = '';
  const token = signInTokenFromHash(location.hash);
  if (token !== null || location.hash.startsWith('#signin=')) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  if (token !== null) {
    try {
      await api.signIn(token);
    } catch (failure) {
      const { title, detail } = describeError(failure);
      linkProblem = `That sign-in link did not work (${detail || title}); links work once and expire soon. `;
    }
  }
  try {
    return { kind: 'signed-in', me: await api.me() };
  } catch (failure) {
    if (failure instanceof ApiError && failure.code === 'unauthenticated') {
      return { kind: 'signed-out', message: `${linkProblem}${NOT_SIGNED_IN}` };
    }
    const { title, detail } = describeError(failure);
    return { kind: 'unreachable', message: detail ? `${title}: ${detail}` : title };
  }
}
