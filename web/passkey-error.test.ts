import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { describePasskeyError } from './passkey-error.ts';

const named = (name: string): Error => Object.assign(new Error('x'), { name });

describe('describePasskeyError', () => {
  it.each([
    ['NotAllowedError', /closed or timed out/],
    ['AbortError', /closed or timed out/],
    ['InvalidStateError', /already has a passkey/],
    ['SecurityError', /localhost/],
    ['NotSupportedError', /cannot create/],
  ])('%s → a sentence', (name, text) => expect(describePasskeyError(named(name))).toMatch(text));

  it('leaves other errors to describeError', () => {
    expect(describePasskeyError(new ApiError({ status: 401, code: 'unauthenticated', title: 'Sign in first' }))).toBeNull();
    expect(describePasskeyError(named('TypeError'))).toBeNull();
    expect(describePasskeyError('text')).toBeNull();
  });
});
