// Follow-up messages (issue 3): text the owner sends to a succeeded AI CLI task whose window is still open. It is
// typed into the same CLI window and the task runs again. Envelope (ids, status, times) apart from content (`text`).
import { z } from 'zod';
import { TaskId } from './ids.ts';
import { typedText } from './text.ts';

/** Chosen by the phone, so a retried POST is recognised and never typed twice. */
export const FollowUpId = z.uuid();
export type FollowUpId = z.infer<typeof FollowUpId>;

/** Largest follow-up accepted, in UTF-8 bytes (a prompt may be 64 KiB; a follow-up is a chat line). */
export const MAX_FOLLOW_UP_BYTES = 16 * 1024;

/** The text of a follow-up: 1 B – 16 KiB of well-formed UTF-8 without control characters (TAB/LF/CR allowed). */
export const FollowUpText = typedText('the message', MAX_FOLLOW_UP_BYTES).refine((s) => s.trim().length > 0, {
  message: 'the message is only whitespace',
});

/**
 * POST /api/tasks/:id/follow-ups. 201 FollowUpView when accepted (the task moves succeeded → running); 200 with the
 * stored one when `id` was already accepted with the same text (a retry); 409 when the task is not open for a
 * follow-up (running, ended, window closed, `openUntil` passed) or `id` was used with other text; 404 not the owner's.
 */
export const FollowUpRequest = z.strictObject({ id: FollowUpId, text: FollowUpText });
export type FollowUpRequest = z.infer<typeof FollowUpRequest>;

/** pending: accepted, not yet taken by the agent; delivered: the agent took it (once) to type it into the window. */
export const FollowUpStatus = z.enum(['pending', 'delivered']);
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;

/** A follow-up as the phone and the agent see it. Times are epoch ms. */
export const FollowUpView = z.object({
  id: FollowUpId,
  taskId: TaskId,
  status: FollowUpStatus,
  text: z.string(),
  createdAt: z.number().int(),
  deliveredAt: z.number().int().nullable(),
});
export type FollowUpView = z.infer<typeof FollowUpView>;

/** GET /api/agent/follow-ups: pending follow-ups of tasks this agent holds, oldest first. */
export const FollowUpList = z.object({ followUps: z.array(FollowUpView) });
export type FollowUpList = z.infer<typeof FollowUpList>;

/** Longest an agent may keep an idle CLI window open for follow-ups, in ms (24 h). */
export const MAX_KEEP_OPEN_MS = 24 * 60 * 60_000;
