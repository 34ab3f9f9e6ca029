// Whether a scrolled pane is "at the bottom", so the live screen keeps following new output. Pure.

/** How close to the bottom still counts as at the bottom, in CSS pixels (absorbs rounding and a stray nudge). */
export const BOTTOM_SLACK_PX = 24;

/** True when the scroll position (all CSS pixels, as on an Element) shows the last line of the content. */
export function isAtBottom(view: { scrollTop: number; clientHeight: number; scrollHeight: number }): boolean {
  return view.scrollHeight - view.scrollTop - view.clientHeight <= BOTTOM_SLACK_PX;
}

/** The rows to show: trailing blank rows of the pane are dropped so the tail is the last line with text. */
export function rowsToShow(rows: readonly string[]): readonly string[] {
  let end = rows.length;
  while (end > 0 && (rows[end - 1] ?? '').trim() === '') end -= 1;
  return end === rows.length ? rows : rows.slice(0, end);
}
