// Mapping a tasks row to the wire's TaskView (never send drizzle rows over the wire). Parses stored JSON.
import { ScreenRows, type FollowUpView, type TaskView, TaskStatus, Backend } from '../../protocol/index.ts';
import type { tasks } from '../db/schema.ts';
import { liveOpenUntil } from './follow-up-rules.ts';

export type TaskRow = typeof tasks.$inferSelect;

/** The stored final screen, or null when absent or not valid ScreenRows JSON. */
function parseFinalScreen(text: string | null): ScreenRows | null {
  if (text === null) return null;
  try {
    const parsed = ScreenRows.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The auto-allow end (epoch ms) while it is still ahead of `now`, else null. */
export const liveAutoAllow = (until: number | null, now: number): number | null => (until !== null && until > now ? until : null);

/**
 * A row as TaskView at `now` (ms; decides whether auto-allow is still on and the window still open). With
 * `withFinalScreen`, the final screen is included (null until the task has one); `followUps` (oldest first) is
 * passed only by GET /api/tasks/:id.
 */
export function toTaskView(row: TaskRow, now: number, withFinalScreen = false, followUps?: FollowUpView[]): TaskView {
  const view: TaskView = {
    id: row.id,
    status: TaskStatus.parse(row.status),
    workspace: row.workspace,
    backend: Backend.parse(row.backend),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    exitCode: row.exitCode,
    error: row.errorCode === null ? null : { code: row.errorCode, message: row.errorMessage ?? '' },
    agentId: row.agentId,
    prompt: row.prompt,
    autoAllowUntil: liveAutoAllow(row.autoAllowUntil, now),
    openUntil: liveOpenUntil(row, now),
    model: row.model,
  };
  if (withFinalScreen) view.finalScreen = parseFinalScreen(row.finalScreen);
  if (followUps !== undefined) view.followUps = followUps;
  return view;
}
