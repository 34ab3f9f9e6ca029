// Gemini CLI 0.61's confirmations (docs/cli-backends.md §3.3-3.4), inside a box: "? Shell  touch x" / "? WriteFile
// Writing to x", the command or diff, "Allow execution of [Shell]?" / "Apply this change?", then "1. Allow once".
// `1` allows once, Escape denies (for WriteFile, `3` would open an editor: never sent).
import { dialogLines, findRow, findRowAbove, type DialogKeys, type ScreenDialog } from './screen-dialog.ts';

const QUESTION = /^[│\s]*(Allow execution of .+\?|Apply this change\?)[│\s]*$/;
const ALLOW_ONCE = /^[│\s]*(●\s*)?1\. Allow once[│\s]*$/;
const HEADING = /^[│\s]*\? (\S+) {2,}(.+?)[│\s]*$/;
const BOX_TOP = /^\s*╭/;
const BOX_BOTTOM = /^\s*╰/;
/** Box borders and rules, stripped from both ends of each row; rows left empty are dropped. */
const BORDERS = /^[│╭╮╰╯─\s]+|[│╭╮╰╯─\s]+$/g;

export function geminiDialog(rows: readonly string[]): ScreenDialog | null {
  const question = findRow(rows, QUESTION);
  if (question < 0) return null;
  const allow = findRow(rows, ALLOW_ONCE, question + 1);
  if (allow < 0 || allow - question > 3) return null;
  const heading = findRowAbove(rows, HEADING, question);
  const top = heading >= 0 ? heading : Math.max(0, findRowAbove(rows, BOX_TOP, question));
  const bottom = findRow(rows, BOX_BOTTOM, allow + 1);
  const match = heading >= 0 ? HEADING.exec(rows[heading]!) : null;
  return {
    title: match ? match[1]! : 'dialog',
    summary: match ? match[2]!.trim() : rows[question]!.replace(BORDERS, ''),
    text: dialogLines(rows, top, bottom >= 0 ? bottom : allow + 4, BORDERS).join('\n'),
  };
}

export const geminiDialogKeys: DialogKeys = { read: geminiDialog, allowKey: '1', denyKey: 'Escape' };
