// Tool approvals (DESIGN.md rule 7): a CLI's permission request relayed to the owner's phones, decided once.
// Envelope (ids, status, times, inputHash) is kept apart from content (`request`) so content can become ciphertext.
import { z } from 'zod';
import { TaskId } from './ids.ts';

export const ApprovalId = z.uuid();
export type ApprovalId = z.infer<typeof ApprovalId>;

/** pending → allowed | denied | expired. Only `allowed` lets the tool run; everything else denies. */
export const ApprovalStatus = z.enum(['pending', 'allowed', 'denied', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** A hex SHA-256 of the canonical JSON of `{ tool, input }`: binds a decision to the exact tool call. */
export const InputHash = z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256');
export type InputHash = z.infer<typeof InputHash>;

/** Default time the owner has to answer, in ms (30 min); the agent's config may set up to MAX_APPROVAL_DEADLINE_MS. */
export const DEFAULT_APPROVAL_DEADLINE_MS = 30 * 60_000;
export const MAX_APPROVAL_DEADLINE_MS = 24 * 60 * 60_000;

/**
 * What the phone shows: which tool, the exact command or file, the working directory, and where the request came
 * from (`hook`: the CLI's structured channel; `screen`: a dialog read off the pane, answered with keys).
 */
export const ApprovalRequest = z.object({
  tool: z.string().min(1).max(128),
  /** One line: the command, the file path, the URL… */
  summary: z.string().max(2000),
  /** The full tool input or dialog text, pretty-printed. */
  detail: z.string().max(32 * 1024),
  cwd: z.string().max(4096).nullable(),
  source: z.enum(['hook', 'screen']),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

/** POST /api/agent/tasks/:id/approvals (agent): open an approval. `id` is chosen by the agent (idempotent retry). */
export const CreateApprovalRequest = z.strictObject({
  id: ApprovalId,
  inputHash: InputHash,
  deadlineMs: z.number().int().min(1000).max(MAX_APPROVAL_DEADLINE_MS),
  request: ApprovalRequest,
});
export type CreateApprovalRequest = z.infer<typeof CreateApprovalRequest>;

/** An approval as phones and agents see it. Times are epoch ms. */
export const ApprovalView = z.object({
  id: ApprovalId,
  taskId: TaskId,
  status: ApprovalStatus,
  inputHash: InputHash,
  createdAt: z.number().int(),
  deadlineAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
  /** `session:<id>` or `device:<id>` or `deadline` for expiry. */
  decidedBy: z.string().nullable(),
  request: ApprovalRequest,
});
export type ApprovalView = z.infer<typeof ApprovalView>;

/** GET /api/approvals?status=pending (phone) */
export const ApprovalList = z.object({ approvals: z.array(ApprovalView) });
export type ApprovalList = z.infer<typeof ApprovalList>;

/**
 * POST /api/approvals/:id/decision (phone). Applied once by a conditional UPDATE
 * (`status='pending' AND deadline_at > now AND input_hash = ?`): a second decision, a late one, or one for
 * another input → 409 conflict.
 */
export const DecisionRequest = z.strictObject({
  decision: z.enum(['allow', 'deny']),
  inputHash: InputHash,
});
export type DecisionRequest = z.infer<typeof DecisionRequest>;

/**
 * POST /api/tasks/:id/auto-allow (phone): allow what the home policy would ask about, for `minutes`. The agent
 * caps it at its own configured maximum; it never widens what the policy denies.
 */
export const AutoAllowRequest = z.strictObject({ minutes: z.number().int().min(0).max(24 * 60) });
export type AutoAllowRequest = z.infer<typeof AutoAllowRequest>;
