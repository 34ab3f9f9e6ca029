// A permission dialog read off an AI CLI's pane (issue 3: the fallback when no hook request is pending) and the keys
// that answer it. Pure: the per-CLI recognizers (claude-dialog.ts, codex-dialog.ts, gemini-dialog.ts) build on these.
import type { AnswerKey } from '../tmux.ts';

/** A dialog as the phone sees it: `title` names it (the CLI's heading or 'dialog'), `summary` is the command or file line. */
export type ScreenDialog = { title: string; summary: string; text: string };

/** Reads one ANSI-stripped screen; null when no dialog this recognizer knows is fully on it. */
export type DialogReader = (rows: readonly string[]) => ScreenDialog | null;

/** How one CLI's dialogs are read and answered: `allowKey` picks "allow once", `denyKey` refuses. */
export type DialogKeys = { read: DialogReader; allowKey: AnswerKey; denyKey: AnswerKey };

/** Index of the first row at or after `from` that matches `pattern`, or -1. */
export function findRow(rows: readonly string[], pattern: RegExp, from = 0): number {
  for (let i = Math.max(0, from); i < rows.length; i++) if (pattern.test(rows[i]!)) return i;
  return -1;
}

/** Index of the last row before `before` that matches `pattern`, or -1. */
export function findRowAbove(rows: readonly string[], pattern: RegExp, before: number): number {
  for (let i = Math.min(before, rows.length) - 1; i >= 0; i--) if (pattern.test(rows[i]!)) return i;
  return -1;
}

/** Rows `[from, to]` each trimmed (and stripped of `strip`), without blank rows: the dialog text hashed and shown. */
export function dialogLines(rows: readonly string[], from: number, to: number, strip?: RegExp): string[] {
  return rows
    .slice(from, to + 1)
    .map((row) => (strip ? row.replace(strip, '') : row).trim())
    .filter((line) => line !== '');
}
