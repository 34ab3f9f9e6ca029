// Pure text checks used by schemas: UTF-8 byte length, well-formed Unicode, and the typed-text schema built from
// them. No runtime APIs.
import { z } from 'zod';

/** The UTF-8 encoded length of `s` in bytes (lone surrogates count as the 3-byte U+FFFD). */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** True when `s` has no lone UTF-16 surrogate (i.e. it encodes to valid UTF-8). */
export function isWellFormedUnicode(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

// C0 controls other than TAB, LF, CR; DEL; C1 controls. ESC sequences and NUL are refused here, and the
// agent strips them again before anything reaches tmux (DESIGN.md rule 9).
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Text a person types for a CLI (a prompt, a follow-up): 1 B – `maxBytes` of well-formed UTF-8 without control
 * characters (TAB/LF/CR allowed). `noun` names it in the error messages ("the prompt is empty").
 */
export const typedText = (noun: string, maxBytes: number) =>
  z
    .string()
    .min(1, `${noun} is empty`)
    .refine((s) => utf8ByteLength(s) <= maxBytes, { message: `${noun} is over ${maxBytes} bytes` })
    .refine(isWellFormedUnicode, { message: `${noun} is not valid UTF-8 text` })
    .refine((s) => !FORBIDDEN_CONTROL.test(s), {
      message: `${noun} contains a control character (only tab and newline are allowed)`,
    });
