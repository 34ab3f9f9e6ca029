// The phone's copy of one task's screen and how pane frames change it (DESIGN.md §4, rule 5).
// Pure: never mutates its input, never touches the DOM or the socket; the caller sends snapshot-requests.
import type { PaneFrame } from '../protocol/index.ts';

/** A screen as the phone holds it: the last applied seq, the pane size in cells, and exactly `height` rows. */
export type Screen = {
  readonly seq: number;
  readonly width: number;
  readonly height: number;
  readonly rows: readonly string[];
};

/**
 * What a frame did: `applied` carries the new screen; `duplicate` means the frame was at or before the screen's
 * seq and was dropped; `need-snapshot` means a patch could not be applied (no screen yet, or a gap in seq), so
 * the caller should send `snapshot-request` and keep its current screen.
 */
export type ApplyResult =
  | { readonly kind: 'applied'; readonly screen: Screen }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'need-snapshot' };

/** Resize `rows` to `height` (dropping rows past it, filling new ones with ''), then set each listed patch row. */
function withRows(rows: readonly string[], height: number, patches: PaneFrame['body']['rows']): string[] {
  const next = Array.from({ length: height }, (_, i) => rows[i] ?? '');
  for (const [index, text] of patches) {
    if (index < height) next[index] = text;
  }
  return next;
}

/**
 * Apply `frame` to `screen` (null when the phone has none yet). A snapshot (`body.full`) replaces the screen
 * unless it is not newer than what we hold; a patch applies only when `seq === screen.seq + 1`.
 */
export function applyFrame(screen: Screen | null, frame: Pick<PaneFrame, 'seq' | 'body'>): ApplyResult {
  const { seq, body } = frame;
  if (screen && seq <= screen.seq) return { kind: 'duplicate' };
  if (body.full) {
    return {
      kind: 'applied',
      screen: { seq, width: body.width, height: body.height, rows: withRows([], body.height, body.rows) },
    };
  }
  if (!screen || seq !== screen.seq + 1) return { kind: 'need-snapshot' };
  return {
    kind: 'applied',
    screen: { seq, width: body.width, height: body.height, rows: withRows(screen.rows, body.height, body.rows) },
  };
}

