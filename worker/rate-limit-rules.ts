// Which rate limits apply where (issue 4: sign-in, pairing and task submission, per owner and per IP): the named
// limits and the middleware that takes their hits. Counting and the 429 live in rate-limit.ts.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { requestOrigin } from './approvals/request-origin.ts';
import { giveBack, ipWho, takeHits, type Hit, type RateLimit } from './rate-limit.ts';

const MINUTE_MS = 60_000;

/**
 * Sign-in and setup ceremonies (every POST under /api/auth/ and /api/setup/), per client IP: 60 a minute. A passkey
 * cannot be guessed; this bounds the challenge rows and signature checks one client can cause (a sign-in is 2 calls).
 */
export const SIGN_IN_PER_IP: RateLimit = { name: 'sign-in', limit: 60, windowMs: MINUTE_MS };

/**
 * Passkey assertions (sign-in and re-verification) per owner, counted once the credential names its owner and before
 * its signature is checked: 30 per 10 minutes. Bounds how often anyone holding an owner's credential id can try.
 */
export const SIGN_IN_PER_OWNER: RateLimit = { name: 'sign-in-owner', limit: 30, windowMs: 10 * MINUTE_MS };

/** New pairing codes (POST /api/device/code), per client IP: 30 per 10 minutes (a code lives 10 minutes). */
export const DEVICE_CODE_PER_IP: RateLimit = { name: 'device-code', limit: 30, windowMs: 10 * MINUTE_MS };

/**
 * Wrong user_codes (unknown or expired) sent to POST /api/device/approve or /deny, per owner: 5 per 10 minutes
 * (issue 4). Once spent, the owner's next decision is refused (429) until the window ends, even with a right code.
 */
export const WRONG_USER_CODES_PER_OWNER: RateLimit = { name: 'wrong-user-code', limit: 5, windowMs: 10 * MINUTE_MS };

/** Wrong user_codes per client IP, whichever owner sends them: 20 per 10 minutes (several owners behind one IP). */
export const WRONG_USER_CODES_PER_IP: RateLimit = { name: 'wrong-user-code', limit: 20, windowMs: 10 * MINUTE_MS };

/**
 * Task submissions (POST /api/tasks and POST /api/tasks/:id/follow-ups together, every attempt), per owner: 120 per
 * 10 minutes — room for a quick back-and-forth of follow-ups, not for a script flooding the home machine.
 */
export const TASK_SUBMIT_PER_OWNER: RateLimit = { name: 'task-submit', limit: 120, windowMs: 10 * MINUTE_MS };

/** Task submissions per client IP, whichever owner: 300 per 10 minutes (several owners behind one IP). */
export const TASK_SUBMIT_PER_IP: RateLimit = { name: 'task-submit', limit: 300, windowMs: 10 * MINUTE_MS };

/** Image uploads (POST /api/attachments), per owner: 60 per 10 minutes — a few photos per task, not a file store. */
export const ATTACHMENT_UPLOAD_PER_OWNER: RateLimit = { name: 'attachment-upload', limit: 60, windowMs: 10 * MINUTE_MS };

/** Image uploads per client IP, whichever owner: 150 per 10 minutes (several owners behind one IP). */
export const ATTACHMENT_UPLOAD_PER_IP: RateLimit = { name: 'attachment-upload', limit: 150, windowMs: 10 * MINUTE_MS };

/** The longest window of any rule, ms: the cron prunes windows that started longer ago than this. */
export const LONGEST_WINDOW_MS = Math.max(
  ...[SIGN_IN_PER_IP, SIGN_IN_PER_OWNER, DEVICE_CODE_PER_IP, WRONG_USER_CODES_PER_OWNER, WRONG_USER_CODES_PER_IP, TASK_SUBMIT_PER_OWNER, TASK_SUBMIT_PER_IP, ATTACHMENT_UPLOAD_PER_OWNER, ATTACHMENT_UPLOAD_PER_IP].map(
    (r) => r.windowMs,
  ),
);

/** The per-IP `who` of the request's client. */
const clientIp = (c: Context<AppEnv>): string => ipWho(requestOrigin(c.req.raw.headers).ip);

/** Middleware taking one hit per request on each of `rules` for the client IP; 429 when one is full. */
const perIp = (...rules: RateLimit[]): MiddlewareHandler<AppEnv> => async (c, next) => {
  const who = clientIp(c);
  await takeHits(c.var.db, rules.map((rule) => ({ rule, who })), c.var.deps.now());
  await next();
};

/** For POST /api/auth/* and /api/setup/* (mounted by path prefix). */
export const limitSignIn = perIp(SIGN_IN_PER_IP);

/** For POST /api/device/code. */
export const limitDeviceCode = perIp(DEVICE_CODE_PER_IP);

/** For task submissions, after requireSession: per owner and per IP. */
export const limitTaskSubmit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const hits: Hit[] = [
    { rule: TASK_SUBMIT_PER_OWNER, who: `owner:${c.var.session.ownerId}` },
    { rule: TASK_SUBMIT_PER_IP, who: clientIp(c) },
  ];
  await takeHits(c.var.db, hits, c.var.deps.now());
  await next();
};

/** For image uploads, after requireSession: per owner and per IP. */
export const limitAttachmentUpload: MiddlewareHandler<AppEnv> = async (c, next) => {
  const hits: Hit[] = [
    { rule: ATTACHMENT_UPLOAD_PER_OWNER, who: `owner:${c.var.session.ownerId}` },
    { rule: ATTACHMENT_UPLOAD_PER_IP, who: clientIp(c) },
  ];
  await takeHits(c.var.db, hits, c.var.deps.now());
  await next();
};

/**
 * Before a pairing decision looks at its user_code (session required): take a wrong-code slot of the owner and of the
 * IP, so even concurrent guesses cannot pass the limit; 429 when either is full. Call `settle(wrong)` once the code
 * was looked at: a wrong code keeps its slots, anything else (approved, denied, already answered) gives them back.
 */
export async function reserveUserCodeGuess(c: Context<AppEnv>): Promise<{ settle: (wrong: boolean) => Promise<void> }> {
  const hits: Hit[] = [
    { rule: WRONG_USER_CODES_PER_OWNER, who: `owner:${c.var.session.ownerId}` },
    { rule: WRONG_USER_CODES_PER_IP, who: clientIp(c) },
  ];
  const taken = await takeHits(c.var.db, hits, c.var.deps.now());
  return { settle: (wrong) => (wrong ? Promise.resolve() : giveBack(c.var.db, taken)) };
}

/** One hit on the owner's sign-in window (SIGN_IN_PER_OWNER); 429 when it is full. */
export async function limitSignInOwner(c: Context<AppEnv>, ownerId: string): Promise<void> {
  await takeHits(c.var.db, [{ rule: SIGN_IN_PER_OWNER, who: `owner:${ownerId}` }], c.var.deps.now());
}
