// ApiError: one error type for every failed HTTP call, built from an RFC 9457 problem body when there is one.
// Pure: turns (status, content type, body text) into an error; it never fetches and never shows anything.
import { ERROR_TITLES, Problem, type ErrorCode, type InvalidParam } from '../protocol/index.ts';

/** Phone-side codes for failures that never reached a Hearth problem body. */
export type ClientErrorCode = 'network' | 'bad-response';

/** A failed API call: `code` is the shared vocabulary (protocol/errors.ts) or a phone-side code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly invalidParams: readonly InvalidParam[];

  constructor(
    init: { status: number; code: ErrorCode | ClientErrorCode; title: string; detail?: string | undefined; invalidParams?: readonly InvalidParam[] },
    options?: { cause?: unknown },
  ) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, options);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.invalidParams = init.invalidParams ?? [];
  }
}

/** Pick the shared code that best fits a bare HTTP status (used when the body is not a problem). */
function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid-request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload-too-large';
  if (status === 415) return 'unsupported-media-type';
  if (status === 429) return 'rate-limited';
  return 'internal';
}

/**
 * Build the ApiError for a non-2xx response. A body that parses as a Problem gives its own code, title, detail
 * and invalid params; anything else (an HTML error page, an empty body) falls back to the status.
 */
export function errorFromResponse(status: number, contentType: string | null, text: string): ApiError {
  if (contentType?.includes('json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const problem = Problem.safeParse(json);
    if (problem.success) {
      const { code, title, detail, invalidParams } = problem.data;
      return new ApiError({ status, code, title, detail, invalidParams });
    }
  }
  const code = codeForStatus(status);
  return new ApiError({ status, code, title: ERROR_TITLES[code], detail: `HTTP ${status}` });
}

/** The error for a 2xx response whose body does not match the schema we expect. */
export function badResponse(status: number, what: string): ApiError {
  return new ApiError({ status, code: 'bad-response', title: 'Unexpected answer from the server', detail: what });
}

/** The error for a request that never got an answer (offline, DNS, connection reset). */
export function networkError(cause: unknown): ApiError {
  return new ApiError(
    { status: 0, code: 'network', title: 'Cannot reach the server', detail: 'Check your connection and try again' },
    { cause },
  );
}

/** One line for the UI: the detail when there is one, plus the bad fields of a validation failure. */
export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) {
    const fields = error.invalidParams.map((p) => `${p.path}: ${p.message}`).join('; ');
    return { title: error.title, detail: [error.detail, fields].filter(Boolean).join(' — ') };
  }
  return { title: ERROR_TITLES.internal, detail: error instanceof Error ? error.message : String(error) };
}

/** describeError as one line: "title: detail", or the title alone when there is no detail. */
export function errorLine(error: unknown): string {
  const { title, detail } = describeError(error);
  return detail ? `${title}: ${detail}` : title;
}
