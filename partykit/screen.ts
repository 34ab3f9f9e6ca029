// One task's latest screen as the room holds it, and the pure rule for applying an agent's pane frame to it
// (DESIGN.md §4, rule 5): duplicates are dropped, snapshots replace, patches apply only in seq order.
import type { PaneBody, PaneFrame } from '../protocol/index.ts';

/** The room's copy of a task's visible screen: `rows.length === height`; `seq` is the last frame applied. */
export type Screen = { seq: number; width: number; height: number; rows: string[] };

export type PaneDecision =
  | { kind: 'apply'; screen: Screen }
  | { kind: 'duplicate' }
  | { kind: 'gap'; expected: number | null };

/**
 * Decide what frame `frame` does to `screen` (undefined when the room has none):
 * seq ≤ current → duplicate; a snapshot → replaces; a patch at current+1 → applied; any other patch → gap
 * (`expected` is the seq the room needed, null when it holds no screen). Never mutates `screen`.
 */
export function decidePane(screen: Screen | undefined, frame: PaneFrame): PaneDecision {
  if (screen && frame.seq <= screen.seq) return { kind: 'duplicate' };
  if (frame.body.full) return { kind: 'apply', screen: applyBody(undefined, frame.seq, frame.body) };
  if (!screen || frame.seq !== screen.seq + 1) return { kind: 'gap', expected: screen ? screen.seq + 1 : null };
  return { kind: 'apply', screen: applyBody(screen, frame.seq, frame.body) };
}

/** `base` (blank when undefined) resized to the body's size with its rows written; rows past `height` dropped. */
function applyBody(base: Screen | undefined, seq: number, body: PaneBody): Screen {
  const rows = Array.from({ length: body.height }, (_, i) => base?.rows[i] ?? '');
  for (const [index, text] of body.rows) if (index < body.height) rows[index] = text;
  return { seq, width: body.width, height: body.height, rows };
}

/** A full snapshot frame of `screen` for `taskId`, every row listed: what a phone gets on join or on request. */
export function snapshotFrame(taskId: string, screen: Screen): PaneFrame {
  return {
    type: 'pane',
    taskId,
    seq: screen.seq,
    body: { full: true, width: screen.width, height: screen.height, rows: screen.rows.map((text, i) => [i, text]) },
  };
}
