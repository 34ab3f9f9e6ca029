// withReverify: only a `reverify-required` answer runs the passkey prompt, and then the action runs once more — never a
// third time, and never after a prompt that failed.
import { describe, expect, it } from 'vitest';
import { ERROR_TITLES, type ErrorCode } from '../protocol/index.ts';
import { ApiError } from './api-error.ts';
import { withReverify } from './with-reverify.ts';

const apiError = (status: number, code: ErrorCode) => new ApiError({ status, code, title: ERROR_TITLES[code] });

/** An action that fails with each of `failures` in turn, then succeeds with 'done'; counts its calls. */
function scripted(...failures: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return 'done';
    },
  };
}

describe('withReverify', () => {
  it('does not prompt when the action succeeds', async () => {
    const action = scripted();
    let prompts = 0;
    await expect(withReverify(action.run, async () => void prompts++)).resolves.toBe('done');
    expect([action.calls(), prompts]).toEqual([1, 0]);
  });

  it('prompts on reverify-required and runs the action again', async () => {
    const action = scripted(apiError(403, 'reverify-required'));
    let prompts = 0;
    await expect(withReverify(action.run, async () => void prompts++)).resolves.toBe('done');
    expect([action.calls(), prompts]).toEqual([2, 1]);
  });

  it('tries only once more: a second reverify-required is the answer', async () => {
    const action = scripted(apiError(403, 'reverify-required'), apiError(403, 'reverify-required'));
    await expect(withReverify(action.run, async () => undefined)).rejects.toMatchObject({ code: 'reverify-required' });
    expect(action.calls()).toBe(2);
  });

  it('passes other failures on without prompting (the last passkey: 409 with its reason)', async () => {
    const action = scripted(new ApiError({ status: 409, code: 'conflict', title: ERROR_TITLES.conflict, detail: 'this is your only passkey' }));
    let prompts = 0;
    await expect(withReverify(action.run, async () => void prompts++)).rejects.toMatchObject({ code: 'conflict', detail: 'this is your only passkey' });
    expect([action.calls(), prompts]).toEqual([1, 0]);
  });

  it('does not run the action again when the prompt fails', async () => {
    const action = scripted(apiError(403, 'reverify-required'));
    const closed = Object.assign(new Error('closed'), { name: 'NotAllowedError' });
    await expect(withReverify(action.run, async () => Promise.reject(closed))).rejects.toBe(closed);
    expect(action.calls()).toBe(1);
  });
});
