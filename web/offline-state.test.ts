import { describe, expect, it } from 'vitest';
import { ApiError, networkError } from './api-error.ts';
import { isOfflineFailure } from './offline-state.ts';

const offline = { onLine: false };
const online = { onLine: true };

describe('isOfflineFailure', () => {
  it('is a call that got no answer while the browser has no network', () => {
    expect(isOfflineFailure(networkError(new TypeError('Failed to fetch')), offline)).toBe(true);
  });

  it('is not the same failure while the browser says it is online (the server is down: that is an error to show)', () => {
    expect(isOfflineFailure(networkError(new TypeError('Failed to fetch')), online)).toBe(false);
  });

  it.each([
    ['an answer from the server', new ApiError({ status: 503, code: 'internal', title: 'Something went wrong' })],
    ['a sign-in that ended', new ApiError({ status: 401, code: 'unauthenticated', title: 'Sign in again' })],
    ['a bad answer', new ApiError({ status: 200, code: 'bad-response', title: 'Unexpected answer from the server' })],
    ['a plain error', new Error('boom')],
    ['not an error at all', 'network'],
  ])('is never %s, even offline', (_what, failure) => {
    expect(isOfflineFailure(failure, offline)).toBe(false);
  });
});
