// Screen diffing for the pane stream: which rows changed since the last frame sent. Pure: no I/O, no seq.
// A size change or a first screen is a full snapshot; an identical screen is no frame at all (DESIGN.md §4).
import type { PaneBody } from '../protocol/index.ts';

/** A captured screen: `rows` has exactly `height` plain-text rows; sizes are in cells. */
export type Screen = { width: number; height: number; rows: string[] };

/** A full snapshot body of `screen`: every row 0..height-1. */
export function snapshotBody(screen: Screen): PaneBody {
  return { full: true, width: screen.width, height: screen.height, rows: screen.rows.map((row, i) => [i, row]) };
}

/**
 * The body to send so a receiver holding `prev` ends up with `next`: a snapshot when there is no `prev` or the
 * pane size changed, else a patch with only the changed rows. Returns null when nothing changed.
 */
export function diffScreens(prev: Screen | null, next: Screen): PaneBody | null {
  if (!prev || prev.width !== next.width || prev.height !== next.height) return snapshotBody(next);
  const rows: PaneBody['rows'] = [];
  next.rows.forEach((row, i) => {
    if (prev.rows[i] !== row) rows.push([i, row]);
  });
  if (rows.length === 0) return null;
  return { full: false, width: next.width, height: next.height, rows };
}
