// Turns captured pane text into plain rows: every escape and control sequence removed, trailing spaces trimmed.
// Pure: no I/O. Rows it returns are safe to render as text anywhere (DESIGN.md §4).
import stripAnsi from 'strip-ansi';
import { MAX_ROW_CHARS, MAX_SCREEN_ROWS } from '../protocol/index.ts';

// String sequences (OSC, DCS, SOS, PM, APC) in 7-bit (ESC ] P X ^ _) and 8-bit (0x9d 0x90 0x98 0x9e 0x9f) forms,
// ended by BEL, ST (ESC \ or 0x9c), or the end of the text when unterminated. Covers OSC 8 links and OSC 52.
const STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
// CSI (ESC [ or 0x9b): parameter bytes, intermediate bytes, one final byte.
const CSI = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?/g;
// Other escape sequences: ESC, intermediates, one final byte (ESC 7, ESC ( B, ESC c …), then any lone ESC.
const ESCAPE = /\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
// Whatever control character is left: C0 (NUL included), DEL, C1.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Remove every escape sequence and control character from one line of text. TAB becomes one space. */
export function stripControls(text: string): string {
  return stripAnsi(text.replace(STRING_SEQUENCE, ''))
    .replace(CSI, '')
    .replace(ESCAPE, '')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '');
}

/**
 * Split `capture-pane -p` output into exactly `height` plain rows: stripped, trailing spaces trimmed, each cut
 * to MAX_ROW_CHARS, padded with empty rows (wrapped lines joined by `-J` leave fewer lines than the height).
 */
export function toScreenRows(captured: string, height: number): string[] {
  const rowCount = Math.min(Math.max(height, 1), MAX_SCREEN_ROWS);
  const lines = captured.replace(/\n$/, '').split('\n');
  const rows: string[] = [];
  for (let i = 0; i < rowCount; i++) {
    const line = lines[i] ?? '';
    rows.push(stripControls(line).trimEnd().slice(0, MAX_ROW_CHARS));
  }
  return rows;
}
