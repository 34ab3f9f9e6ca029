// Actions that need a passkey verified in the last 5 minutes (adding or removing a passkey): when the Worker answers
// 403 `reverify-required`, run the passkey prompt and try once more. Any other failure is passed on untouched.
import { ApiError } from './api-error.ts';

/**
 * Run `action`; on ApiError `reverify-required`, call `reverify` (the WebAuthn prompt, POST /api/auth/reverify) and
 * run `action` a second and last time. Rejects with whatever `reverify` or the second attempt rejects with.
 */
export async function withReverify<T>(action: () => Promise<T>, reverify: () => Promise<void>): Promise<T> {
  try {
    return await action();
  } catch (failure) {
    if (!(failure instanceof ApiError) || failure.code !== 'reverify-required') throw failure;
    await reverify();
    return action();
  }
}
