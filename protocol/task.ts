// Task statuses, the legal transitions between them, and the task HTTP bodies (DESIGN.md §3).
// Pure data and decisions: no I/O. The Worker enforces transitions with conditional UPDATEs.
import { z } from 'zod';
import { TaskId, DeviceId } from './ids.ts';
import { ErrorCode } from './errors.ts';
import { typedText } from './text.ts';
import { FollowUpView } from './follow-up.ts';
import { AttachmentId, AttachmentView, MAX_ATTACHMENTS_PER_TASK } from './attachment.ts';

export const TaskStatus = z.enum([
  'queued',
  'running',
  'waiting_approval',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'lost',
]);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled', 'timed_out', 'lost'] as const;
export const ACTIVE_STATUSES = ['running', 'waiting_approval'] as const;

export const isTerminal = (s: TaskStatus): boolean => (TERMINAL_STATUSES as readonly string[]).includes(s);
export const isActive = (s: TaskStatus): boolean => (ACTIVE_STATUSES as readonly string[]).includes(s);

const TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  queued: ['running', 'cancelled'],
  running: ['waiting_approval', 'succeeded', 'failed', 'cancelled', 'timed_out', 'lost'],
  waiting_approval: ['running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'lost'],
  // A follow-up from the phone reopens a succeeded CLI task while its window is still open (TaskView.openUntil).
  succeeded: ['running'],
  failed: [],
  cancelled: [],
  timed_out: [],
  lost: [],
};

/** Whether `from → to` is a legal lifecycle step (DESIGN.md §3). A status never moves to itself. */
export const canTransition = (from: TaskStatus, to: TaskStatus): boolean => TRANSITIONS[from].includes(to);

/** The statuses a task may be in for `to` to be applied: the WHERE clause of the conditional UPDATE. */
export const sourcesOf = (to: TaskStatus): TaskStatus[] =>
  TaskStatus.options.filter((from) => TRANSITIONS[from].includes(to));

/** Status glyphs for the phone and notifications (DESIGN.md §3). */
export const STATUS_ICONS: Record<TaskStatus, string> = {
  queued: 'Zzz',
  running: '⚙',
  waiting_approval: '⏸',
  succeeded: '✓',
  failed: '✗',
  cancelled: '✗',
  timed_out: '✗',
  lost: '✗',
};

export const Backend = z.enum(['shell', 'claude', 'codex', 'gemini']);
export type Backend = z.infer<typeof Backend>;

/** A workspace name as advertised by the agent: the phone never sees home paths. */
export const WorkspaceName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');
export type WorkspaceName = z.infer<typeof WorkspaceName>;

/** Largest prompt accepted, in UTF-8 bytes. */
export const MAX_PROMPT_BYTES = 64 * 1024;

/** A task prompt: 1 B – 64 KiB of well-formed UTF-8 text without control characters (TAB/LF/CR allowed). */
export const Prompt = typedText('the prompt', MAX_PROMPT_BYTES);

/**
 * A model name for an AI CLI's `--model` flag (`/model <name>` in the composer): letters, digits and `._:/-`, so it
 * can never be read as another flag. Which names exist is the CLI's business; a wrong one fails the task clearly.
 */
export const ModelName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'a model name is letters, digits and "._:/-", not starting with a sign');
export type ModelName = z.infer<typeof ModelName>;

/**
 * POST /api/tasks. `model` only for the AI CLI backends (400 with `shell`). `attachmentIds`: images uploaded
 * with POST /api/attachments by this owner and not yet on a task; bound to the new task in the same batch.
 */
export const CreateTaskRequest = z
  .strictObject({
    workspace: WorkspaceName,
    backend: Backend,
    prompt: Prompt,
    model: ModelName.optional(),
    attachmentIds: z.array(AttachmentId).max(MAX_ATTACHMENTS_PER_TASK).optional(),
  })
  .refine((t) => t.model === undefined || t.backend !== 'shell', {
    message: 'the shell backend takes no model',
    path: ['model'],
  })
  .refine((t) => new Set(t.attachmentIds ?? []).size === (t.attachmentIds ?? []).length, {
    message: 'an attachment may be named once',
    path: ['attachmentIds'],
  });
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

/** Why a task ended badly, in the shared error vocabulary plus free text. */
export const TaskError = z.object({ code: z.union([ErrorCode, z.string().max(64)]), message: z.string().max(2000) });
export type TaskError = z.infer<typeof TaskError>;

/** The largest final screen kept in D1: rows × columns. */
export const MAX_SCREEN_ROWS = 500;
export const MAX_ROW_CHARS = 1000;
/** One row of a captured screen: plain text, every control character already stripped by the agent. */
export const ScreenRow = z
  .string()
  .max(MAX_ROW_CHARS)
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'a screen row may not contain control characters');
export const ScreenRows = z.array(ScreenRow).max(MAX_SCREEN_ROWS);
export type ScreenRows = z.infer<typeof ScreenRows>;

/**
 * A task as the phone sees it. Times are epoch milliseconds. `finalScreen` is present only on
 * GET /api/tasks/:id once the task has ended. Routing envelope (id, status, times) is kept apart from
 * content (`prompt`, `finalScreen`) so content can later become ciphertext (DESIGN.md rule 12).
 */
export const TaskView = z.object({
  id: TaskId,
  status: TaskStatus,
  workspace: WorkspaceName,
  backend: Backend,
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  exitCode: z.number().int().nullable(),
  error: TaskError.nullable(),
  agentId: DeviceId.nullable(),
  prompt: z.string(),
  finalScreen: ScreenRows.nullable().optional(),
  /** Until when (epoch ms) the owner allowed what the home policy would ask about; null/absent: not allowed. */
  autoAllowUntil: z.number().int().nullable().optional(),
  /**
   * A succeeded AI CLI task whose window the agent keeps open: until when (epoch ms) a follow-up is accepted
   * (POST /api/tasks/:id/follow-ups). null/absent: the window is closed, or the task never kept one.
   */
  openUntil: z.number().int().nullable().optional(),
  /** The follow-up messages typed into the task's window, oldest first. Only on GET /api/tasks/:id. */
  followUps: z.array(FollowUpView).optional(),
  /** The model asked for with `/model`; null/absent: the CLI's default. */
  model: ModelName.nullable().optional(),
  /** Images attached to the task (envelopes only), in the order given. Absent/empty: none. */
  attachments: z.array(AttachmentView).optional(),
});
export type TaskView = z.infer<typeof TaskView>;

/** GET /api/tasks */
export const TaskList = z.object({ tasks: z.array(TaskView) });
export type TaskList = z.infer<typeof TaskList>;
