// The "passkey verified in the last 5 minutes" gate for sensitive actions (issue 4: approving a pairing user_code;
// adding or removing a passkey). Without it: 403 `reverify-required`, which the phone answers with a re-verification.
import type { MiddlewareHandler } from 'hono';
import { PASSKEY_RECENT_MS } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ProblemError } from '../problem.ts';

/** True when `verifiedAt` (epoch ms or null) lies within PASSKEY_RECENT_MS before `now`. */
export const passkeyRecent = (verifiedAt: number | null, now: number): boolean =>
  verifiedAt !== null && verifiedAt <= now && now - verifiedAt <= PASSKEY_RECENT_MS;

/** Middleware, after requireSession: 403 `reverify-required` unless the session proved a passkey recently. */
export const requireRecentPasskey: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!passkeyRecent(c.var.session.passkeyVerifiedAt, c.var.deps.now())) {
    throw new ProblemError(403, 'reverify-required', { detail: 'verify your passkey again (POST /api/auth/reverify) and retry' });
  }
  await next();
};
