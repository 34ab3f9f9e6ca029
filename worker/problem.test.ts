import { describe, expect, it } from 'vitest';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { Problem } from '../protocol/index.ts';
import { ProblemError, toProblemError, validationProblem } from './problem.ts';

describe('ProblemError', () => {
  it('renders RFC 9457 problem+json with the shared code and title', async () => {
    const res = new ProblemError(409, 'conflict', { detail: 'the task has already ended' }).getResponse();
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = Problem.parse(await res.json());
    expect(body).toEqual({
      type: 'urn:hearth:error:conflict',
      title: 'Already changed by someone else',
      status: 409,
      code: 'conflict',
      detail: 'the task has already ended',
    });
  });

  it('lists the bad paths of a zod failure', () => {
    const schema = z.object({ a: z.object({ b: z.number() }), c: z.string() });
    const parsed = schema.safeParse({ a: { b: 'x' }, c: 1 });
    if (parsed.success) throw new Error('expected a failure');
    const problem = validationProblem(parsed.error).toProblem('req-1');
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('invalid-request');
    expect(problem.requestId).toBe('req-1');
    expect(problem.invalidParams?.map((p) => p.path)).toEqual(['a.b', 'c']);
  });

  it('turns unknown errors into a bare 500 without their message', () => {
    const problem = toProblemError(new Error('D1_ERROR: secret stuff params: abc')).toProblem('r');
    expect(problem).toEqual({ type: 'urn:hearth:error:internal', title: 'Something went wrong on our side', status: 500, code: 'internal', requestId: 'r' });
  });

  it("keeps Hono's own 4xx statuses under the shared codes", () => {
    expect(toProblemError(new HTTPException(413)).code).toBe('payload-too-large');
    expect(toProblemError(new HTTPException(400)).code).toBe('invalid-request');
    expect(toProblemError(new HTTPException(418)).status).toBe(500);
  });
});
