// The text a card shows after a decision fails, and which failures let the owner tap again.
import { describe, expect, it } from 'vitest';
import { errorFromResponse, networkError } from './api-error.ts';
import { conflictReason, failureOutcome, settledText } from './approval-outcome.ts';

const problem = (status: number, code: string, detail?: string) =>
  errorFromResponse(
    status,
    'application/problem+json',
    JSON.stringify({ type: `urn:hearth:error:${code}`, title: 't', status, code, ...(detail ? { detail } : {}) }),
  );

describe('conflictReason', () => {
  it.each<[string | undefined, string, string]>([
    ['already allowed', 'Already decided: allowed', 'allowed'],
    ['approval already denied', 'Already decided: denied', 'denied'],
    ['expired: the deadline passed', 'Expired: the deadline passed', 'expired'],
    ['expired: the task ended', 'Expired: the task ended', 'expired'],
    ['expired', 'Expired', 'expired'],
    ['already expired', 'Expired', 'expired'],
    ['the tool input changed: reload the approval', 'The request changed: not applied', 'conflict'],
    ['the approval changed meanwhile: reload it', 'The request changed: not applied', 'conflict'],
    ['something new', 'Already decided', 'conflict'],
    [undefined, 'Already decided', 'conflict'],
  ])('%s → %s (%s)', (detail, text, status) => expect(conflictReason(detail)).toEqual({ text, status }));
});

describe('failureOutcome', () => {
  it('a 409 is final, with the server’s reason', () => {
    expect(failureOutcome(problem(409, 'conflict', 'expired: the deadline passed'))).toEqual({
      kind: 'final',
      text: 'Expired: the deadline passed',
      status: 'expired',
    });
    expect(failureOutcome(problem(409, 'conflict', 'already denied'))).toEqual({
      kind: 'final',
      text: 'Already decided: denied',
      status: 'denied',
    });
  });

  it('a 404 is final', () => {
    expect(failureOutcome(problem(404, 'not-found'))).toEqual({ kind: 'final', text: 'No longer exists', status: 'conflict' });
  });

  it('a network failure says so and lets the owner tap again', () => {
    const outcome = failureOutcome(networkError(new TypeError('Failed to fetch')));
    expect(outcome.kind).toBe('retry');
    expect(outcome.text).toMatch(/cannot reach the server/);
  });

  it('a server error lets the owner tap again and shows the problem', () => {
    const outcome = failureOutcome(errorFromResponse(502, 'text/html', '<h1>Bad gateway</h1>'));
    expect(outcome).toEqual({ kind: 'retry', text: 'Not sent: Something went wrong on our side: HTTP 502' });
  });
});

describe('settledText', () => {
  it.each([
    ['allowed', 'Allowed'],
    ['denied', 'Denied'],
    ['expired', 'Expired'],
  ] as const)('%s → %s', (status, text) => expect(settledText(status)).toBe(text));
});
