import { describe, expect, it } from 'vitest';
import { stripControls, toScreenRows } from './pane-strip.ts';

const ESC = '\u001b';

describe('stripControls', () => {
  it.each([
    ['SGR colours', `${ESC}[1;31mred${ESC}[0m text`, 'red text'],
    ['cursor moves and erase', `${ESC}[2J${ESC}[H${ESC}[10;5Habc${ESC}[K${ESC}[?25l`, 'abc'],
    ['OSC 8 hyperlink (BEL)', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, 'click'],
    ['OSC 8 hyperlink (ST)', `see ${ESC}]8;;http://x\u0007here${ESC}]8;;\u0007`, 'see here'],
    ['OSC 52 clipboard write', `a${ESC}]52;c;ZWNobyBwd25lZA==\u0007b`, 'ab'],
    ['OSC title', `${ESC}]0;title${ESC}\\x`, 'x'],
    ['DCS', `x${ESC}Pq#0;2;0;0;0#1!6~${ESC}\\y`, 'xy'],
    ['APC and PM', `1${ESC}_payload${ESC}\\2${ESC}^pm${ESC}\\3`, '123'],
    ['unterminated OSC eats the rest', `ok${ESC}]52;c;AAAA`, 'ok'],
    ['bare ESC', `a${ESC}b${ESC}`, 'a'],
    ['two-byte escapes', `${ESC}7x${ESC}8${ESC}(By${ESC}c`, 'xy'],
    ['bracketed-paste end marker', `${ESC}[201~rm -rf`, 'rm -rf'],
    ['C1 CSI and OSC', `\u009b31mred\u009d0;t\u009cz`, 'redz'],
    ['C1 controls', `a\u0085b\u008ec\u009f`, 'abc'],
    ['NUL and C0', `a\u0000b\u0007c\u0008d\u007fe\re`, 'abcdee'],
    ['tab becomes a space', 'a\tb', 'a b'],
    ['plain unicode kept', 'héllo → 世界 ✓', 'héllo → 世界 ✓'],
  ])('%s', (_name, input, expected) => {
    expect(stripControls(input)).toBe(expected);
  });

  it('leaves no control character in any output', () => {
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c) + 'x';
    expect(stripControls(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('toScreenRows', () => {
  it('pads to the height, trims trailing spaces and strips each row', () => {
    expect(toScreenRows(`one   \n${ESC}[31mtwo${ESC}[0m\n`, 4)).toEqual(['one', 'two', '', '']);
  });

  it('cuts extra lines and over-long rows', () => {
    const rows = toScreenRows(`${'x'.repeat(1500)}\nb\nc\n`, 2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveLength(1000);
    expect(rows[1]).toBe('b');
  });
});
