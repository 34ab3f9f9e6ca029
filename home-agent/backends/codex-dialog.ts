// Codex CLI 0.169's command approval (docs/cli-backends.md §2.3-2.4): "Would you like to run the following command?",
// the `$ command` line, then "1. Yes, proceed (y)". `y` allows, Escape denies.
import { dialogLines, findRow, type DialogKeys, type ScreenDialog } from './screen-dialog.ts';

const QUESTION = /^\s*Would you like to run the following command\?\s*$/;
const YES = /^\s*(›\s*)?1\. Yes, proceed \(y\)\s*$/;
const COMMAND = /^\s*\$ (.+)$/;
const FOOTER = /^\s*Press enter to confirm or esc to cancel/;
/** Rows between the question and the options, at most. */
const MAX_BODY = 30;

export function codexDialog(rows: readonly string[]): ScreenDialog | null {
  const question = findRow(rows, QUESTION);
  if (question < 0) return null;
  const yes = findRow(rows, YES, question + 1);
  if (yes < 0 || yes - question > MAX_BODY) return null;
  const command = findRow(rows, COMMAND, question + 1);
  const footer = findRow(rows, FOOTER, yes + 1);
  return {
    title: 'dialog',
    summary: command >= 0 && command < yes ? COMMAND.exec(rows[command]!)![1]!.trim() : rows[question]!.trim(),
    text: dialogLines(rows, question, footer >= 0 ? footer : yes + 3).join('\n'),
  };
}

export const codexDialogKeys: DialogKeys = { read: codexDialog, allowKey: 'y', denyKey: 'Escape' };
