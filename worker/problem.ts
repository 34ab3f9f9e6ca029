// RFC 9457 problem details: the one error type Worker routes throw, and the renderer for every error response.
// It must not leak stacks, SQL or secrets: `detail` is written by us, never copied from an unknown error.
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { ERROR_TITLES, problemType, type ErrorCode, type InvalidParam, type Problem } from '../protocol/index.ts';

/** A route error that renders itself as `application/problem+json` with a code from protocol/errors.ts. */
export class ProblemError extends HTTPException {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly invalidParams: InvalidParam[] | undefined;
  /** Extra response headers, e.g. `Retry-After` on a 429. */
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    options: { detail?: string; invalidParams?: InvalidParam[]; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(status, { message: options.detail ?? ERROR_TITLES[code], cause: options.cause });
    this.code = code;
    this.detail = options.detail;
    this.invalidParams = options.invalidParams;
    this.headers = options.headers ?? {};
  }

  /** The problem body; `requestId` is added by the error handler. */
  toProblem(requestId?: string): Problem {
    return {
      type: problemType(this.code),
      title: ERROR_TITLES[this.code],
      status: this.status,
      code: this.code,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(this.invalidParams === undefined ? {} : { invalidParams: this.invalidParams }),
    };
  }

  override getResponse(): Response {
    return problemResponse(this.toProblem(), this.headers);
  }
}

/** Render a problem body as a Response with its status, `application/problem+json` and any `headers` given. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  });
}

/** The invalid paths of a zod failure (at most 20), for `invalidParams`. */
export function invalidParamsOf(error: z.ZodError): InvalidParam[] {
  return error.issues.slice(0, 20).map((i) => ({
    path: (i.path.map(String).join('.') || '(root)').slice(0, 256),
    message: i.message.slice(0, 512),
  }));
}

/** A 400 invalid-request listing the zod failure's bad paths. */
export const validationProblem = (error: z.ZodError): ProblemError =>
  new ProblemError(400, 'invalid-request', { detail: 'the body failed validation', invalidParams: invalidParamsOf(error) });

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

/** Map any thrown value to a ProblemError: ours pass through, Hono's keep their 4xx status, the rest are 500. */
export function toProblemError(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof HTTPException) {
    const code = CODE_BY_STATUS[err.status];
    if (code) return new ProblemError(err.status, code);
  }
  return new ProblemError(500, 'internal', { cause: err });
}
