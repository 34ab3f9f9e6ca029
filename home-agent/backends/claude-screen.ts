// Claude Code 2.1's screen (docs/cli-backends.md §1.3): `esc to interrupt` while working; idle shows the empty
// prompt with `? for shortcuts` in the footer. A permission dialog is neither.
import { hasRow, type ScreenState } from './screen-state.ts';

export function claudeScreen(rows: readonly string[]): ScreenState {
  if (hasRow(rows, 'esc to interrupt')) return 'working';
  if (hasRow(rows, /Do you want to (proceed|create|make)|Esc to cancel/)) return 'other';
  return hasRow(rows, '? for shortcuts') ? 'idle' : 'other';
}
