import { describe, expect, it } from 'vitest';
import { sanitizeTypedText } from './typed-text.ts';

describe('sanitizeTypedText', () => {
  it.each([
    ['plain text', 'echo hi', 'echo hi'],
    ['keeps tabs and newlines', 'a\tb\nc', 'a\tb\nc'],
    ['CRLF becomes LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['bracketed-paste end marker', 'x\u001b[201~; kill-server', 'x; kill-server'],
    ['OSC 52', 'a\u001b]52;c;AAAA\u0007b', 'ab'],
    ['NUL, BEL, backspace, DEL', 'a\u0000b\u0007c\u0008d\u007f', 'abcd'],
    ['C1 controls', 'a\u009b31mb\u0085', 'ab'],
    ['tmux key names stay literal text', 'C-c Enter kill-server ;', 'C-c Enter kill-server ;'],
    ['lone surrogate', 'a\ud800b', 'a\ufffdb'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeTypedText(input)).toBe(expected);
  });

  it('cuts very long text', () => {
    expect(sanitizeTypedText('x'.repeat(200_000))).toHaveLength(64 * 1024);
  });
});
