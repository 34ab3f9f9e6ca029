// The `:id` route parameter as an ApprovalId. A malformed id is answered like an unknown one (404).
import type { Context } from 'hono';
import { ApprovalId } from '../../protocol/index.ts';
import { ProblemError } from '../problem.ts';

/** The approval id in the path, or a 404 ProblemError when it is not a UUID. */
export function approvalIdParam(c: Context): string {
  const parsed = ApprovalId.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ProblemError(404, 'not-found');
  return parsed.data;
}
