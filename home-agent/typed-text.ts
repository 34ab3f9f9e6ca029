// Cleans text before it is typed into a pane (DESIGN.md rule 9). Pure: the typing itself is tmux.ts's typeText.
// Only printable text, TAB and LF survive: no ESC (so no early bracketed-paste end), no NUL, no C1, no lone surrogates.
import { stripControls } from './pane-strip.ts';

/** Largest text typed into a pane at once, in UTF-16 code units. */
export const MAX_TYPED_CHARS = 64 * 1024;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Strip every escape sequence and control character except TAB and LF, turn CRLF/CR into LF, replace lone
 * surrogates with U+FFFD, and cut to MAX_TYPED_CHARS.
 */
export function sanitizeTypedText(text: string): string {
  const lines = text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.split('\t').map(stripControls).join('\t'));
  return lines.join('\n').slice(0, MAX_TYPED_CHARS);
}
