// RFC 9457 problem+json responses from the room's HTTP endpoint, in the shared error vocabulary. No secrets in detail.
import { ERROR_TITLES, problemType, type ErrorCode, type Problem } from '../protocol/index.ts';

/** A problem+json Response with `status`, `code` and an optional human `detail`. */
export function problemResponse(status: number, code: ErrorCode, detail?: string, headers?: HeadersInit): Response {
  const body: Problem = { type: problemType(code), title: ERROR_TITLES[code], status, code, ...(detail ? { detail } : {}) };
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('content-type', 'application/problem+json');
  return response;
}
