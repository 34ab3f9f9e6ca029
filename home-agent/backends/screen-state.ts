// What an AI CLI's screen says about its turn: still working, idle at its prompt, or something else (a dialog, the
// start-up screen). Each CLI's recognizer is pure and reads the ANSI-stripped rows (docs/cli-backends.md §1.3, §2.3, §3.3).

export type ScreenState = 'working' | 'idle' | 'other';

/** Reads one captured screen. */
export type ScreenReader = (rows: readonly string[]) => ScreenState;

/** True when some row contains `needle` (or matches it). */
export const hasRow = (rows: readonly string[], needle: string | RegExp): boolean =>
  rows.some((row) => (typeof needle === 'string' ? row.includes(needle) : needle.test(row)));
