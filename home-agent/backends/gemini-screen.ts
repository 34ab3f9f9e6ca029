// Gemini CLI 0.61's screen (docs/cli-backends.md §3.3): `esc to cancel` while thinking or running a hook; idle shows
// the `Type your message` composer. A confirmation dialog hides the composer.
import { hasRow, type ScreenState } from './screen-state.ts';

export function geminiScreen(rows: readonly string[]): ScreenState {
  if (hasRow(rows, 'esc to cancel')) return 'working';
  if (hasRow(rows, /Allow execution of|Apply this change\?|Allow once/)) return 'other';
  return hasRow(rows, 'Type your message') ? 'idle' : 'other';
}
