// The `:id` route parameter as a TaskId. A malformed id is answered like an unknown one (404).
import type { Context } from 'hono';
import { TaskId } from '../../protocol/index.ts';
import { ProblemError } from '../problem.ts';

/** The task id in the path, or a 404 ProblemError when it is not a UUID. */
export function taskIdParam(c: Context): string {
  const parsed = TaskId.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ProblemError(404, 'not-found');
  return parsed.data;
}
