// Codex CLI 0.169's screen (docs/cli-backends.md §2.3): `esc to interrupt` while working (also while a hook runs);
// idle shows the `› Ask Codex` composer and the `? for shortcuts` footer. An approval dialog is neither.
import { hasRow, type ScreenState } from './screen-state.ts';

export function codexScreen(rows: readonly string[]): ScreenState {
  if (hasRow(rows, 'esc to interrupt')) return 'working';
  if (hasRow(rows, /Would you like to run|Press enter to confirm|Hooks need review/)) return 'other';
  return hasRow(rows, '› Ask Codex') || hasRow(rows, '? for shortcuts') ? 'idle' : 'other';
}
