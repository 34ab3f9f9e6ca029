// The pane stream's frame: a seq-numbered snapshot or row patch of one task's visible screen (DESIGN.md §4).
// Envelope (taskId, seq) is kept apart from content (`body`) so the body can later be ciphertext.
import { z } from 'zod';
import { TaskId, Seq } from './ids.ts';
import { MAX_ROW_CHARS, MAX_SCREEN_ROWS, ScreenRow } from './task.ts';

/** One changed row: [row index from the top, 0-based; the row's text, ANSI-stripped, trailing spaces trimmed]. */
export const RowPatch = z.tuple([z.number().int().min(0).max(MAX_SCREEN_ROWS - 1), ScreenRow]);
export type RowPatch = z.infer<typeof RowPatch>;

/**
 * Most characters one body may carry across all its rows: at ≤ 3 UTF-8 bytes each (plus JSON framing) a frame
 * stays well under PartyKit's 1 MiB message limit. A 200×50 pane is 10 000 cells.
 */
export const MAX_PANE_BODY_CHARS = 256 * 1024;

/**
 * A screen update. `full: true` is a snapshot: every row 0..height-1 is listed and the receiver replaces its
 * copy. `full: false` is a patch: only rows that changed since the previous seq; rows at or past `height` are
 * dropped. `width`/`height` are the pane size in cells.
 */
export const PaneBody = z
  .object({
    full: z.boolean(),
    width: z.number().int().min(1).max(MAX_ROW_CHARS),
    height: z.number().int().min(1).max(MAX_SCREEN_ROWS),
    rows: z.array(RowPatch).max(MAX_SCREEN_ROWS),
  })
  .refine((body) => body.rows.reduce((n, [, text]) => n + text.length, 0) <= MAX_PANE_BODY_CHARS, {
    message: `the rows hold over ${MAX_PANE_BODY_CHARS} characters`,
    path: ['rows'],
  });
export type PaneBody = z.infer<typeof PaneBody>;

export const PaneFrame = z.object({
  type: z.literal('pane'),
  taskId: TaskId,
  seq: Seq,
  body: PaneBody,
});
export type PaneFrame = z.infer<typeof PaneFrame>;
