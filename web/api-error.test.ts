// ApiError from problem+json bodies and from bodies that are not problems.
import { describe, expect, it } from 'vitest';
import { ERROR_TITLES, problemType } from '../protocol/index.ts';
import { describeError, errorFromResponse } from './api-error.ts';

const problem = (extra: object) =>
  JSON.stringify({ type: problemType('unknown-workspace'), title: ERROR_TITLES['unknown-workspace'], status: 422, code: 'unknown-workspace', ...extra });

describe('errorFromResponse', () => {
  it('keeps a problem body’s code, title, detail and invalid params', () => {
    const error = errorFromResponse(
      422,
      'application/problem+json',
      problem({ detail: 'no workspace "x"', invalidParams: [{ path: 'workspace', message: 'unknown' }] }),
    );
    expect(error).toMatchObject({ status: 422, code: 'unknown-workspace', title: ERROR_TITLES['unknown-workspace'] });
    expect(error.detail).toBe('no workspace "x"');
    expect(describeError(error)).toEqual({
      title: ERROR_TITLES['unknown-workspace'],
      detail: 'no workspace "x" — workspace: unknown',
    });
  });

  it.each<[number, string | null, string, string]>([
    [401, 'application/json', '{"nope":1}', 'unauthenticated'],
    [409, 'text/plain', 'conflict', 'conflict'],
    [502, 'text/html', '<h1>Bad gateway</h1>', 'internal'],
    [404, null, '', 'not-found'],
    [400, 'application/problem+json', '{not json', 'invalid-request'],
  ])('status %d with %s falls back to the status code', (status, type, body, code) => {
    const error = errorFromResponse(status, type, body);
    expect(error.code).toBe(code);
    expect(error.detail).toBe(`HTTP ${status}`);
    expect(error.message).not.toContain('<h1>');
  });
});
