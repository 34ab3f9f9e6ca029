// The composer's byte counter: a prompt's UTF-8 size against the protocol limit. Pure.
import { MAX_PROMPT_BYTES, utf8ByteLength } from '../protocol/index.ts';

/** The counter's text and whether the prompt is over the limit (MAX_PROMPT_BYTES, 64 KiB of UTF-8). */
export function promptSize(prompt: string): { bytes: number; over: boolean; label: string } {
  const bytes = utf8ByteLength(prompt);
  const over = bytes > MAX_PROMPT_BYTES;
  const shown = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
  return { bytes, over, label: over ? `${shown} — over the 64 KiB limit` : `${shown} / 64 KiB` };
}
