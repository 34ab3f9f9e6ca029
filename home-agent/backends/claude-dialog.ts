// Claude Code 2.1's permission dialogs (docs/cli-backends.md §1.3-1.4): a heading ("Bash command", "Create file"),
// the command or file, "Do you want to proceed?" / "Do you want to create …?", then "1. Yes". `1` allows, Escape denies.
import { dialogLines, findRow, findRowAbove, type DialogKeys, type ScreenDialog } from './screen-dialog.ts';

const QUESTION = /^\s*Do you want to (proceed|create .+|make .+)\?\s*$/;
const YES = /^\s*(❯\s*)?1\. Yes\s*$/;
const RULE = /^\s*─{10,}\s*$/;
const FOOTER = /^\s*Esc to cancel/;
/** Rows above the question searched for the dialog's top rule, in rows. */
const MAX_ABOVE = 40;

export function claudeDialog(rows: readonly string[]): ScreenDialog | null {
  const question = findRow(rows, QUESTION);
  if (question < 0) return null;
  const yes = findRow(rows, YES, question + 1);
  if (yes < 0 || yes - question > 2) return null;
  const rule = findRowAbove(rows, RULE, question);
  const top = rule >= 0 && question - rule <= MAX_ABOVE ? rule + 1 : Math.max(0, question - 8);
  const footer = findRow(rows, FOOTER, yes + 1);
  const lines = dialogLines(rows, top, footer >= 0 ? footer : yes + 3);
  const head = lines.indexOf(rows[question]!.trim());
  return {
    title: head > 0 ? lines[0]! : 'dialog',
    summary: head > 1 ? lines[1]! : rows[question]!.trim(),
    text: lines.join('\n'),
  };
}

export const claudeDialogKeys: DialogKeys = { read: claudeDialog, allowKey: '1', denyKey: 'Escape' };
