// The one vocabulary of error codes, shared by HTTP problems (RFC 9457), socket `error` frames and CLI messages.
// RFC 8628 token-endpoint errors keep their own snake_case names (see device-flow.ts).
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid-request',
  'unauthenticated',
  'forbidden',
  'reverify-required',
  'not-found',
  'conflict',
  'payload-too-large',
  'unsupported-media-type',
  'unknown-workspace',
  'unknown-backend',
  'backend-unavailable',
  'no-agent',
  'protocol-version',
  'wrong-role',
  'rate-limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Human text for each code, shown by the phone and the CLI whichever path failed. */
export const ERROR_TITLES: Record<ErrorCode, string> = {
  'invalid-request': 'The request is malformed',
  unauthenticated: 'Sign in first',
  forbidden: 'Not allowed',
  'reverify-required': 'Confirm it is you with your passkey first',
  'not-found': 'Not found',
  conflict: 'Already changed by someone else',
  'payload-too-large': 'Too large',
  'unsupported-media-type': 'Send JSON (Content-Type: application/json)',
  'unknown-workspace': 'That workspace is not on the home machine allowlist',
  'unknown-backend': 'That backend is not available on the home machine',
  'backend-unavailable': 'That CLI is not installed on the home machine',
  'no-agent': 'No home agent is paired',
  'protocol-version': 'Incompatible protocol version: update the app or agent',
  'wrong-role': 'That message is not allowed from this connection',
  'rate-limited': 'Too many requests: slow down',
  internal: 'Something went wrong on our side',
};

/** One invalid field in a validation failure: a dotted path and what is wrong there. */
export const InvalidParam = z.object({ path: z.string().max(256), message: z.string().max(512) });
export type InvalidParam = z.infer<typeof InvalidParam>;

/**
 * An RFC 9457 problem details body (`application/problem+json`). `type` is `urn:hearth:error:<code>`;
 * `code` repeats the code for clients that do not parse URNs.
 */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: ErrorCode,
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  invalidParams: z.array(InvalidParam).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const problemType = (code: ErrorCode): string => `urn:hearth:error:${code}`;
