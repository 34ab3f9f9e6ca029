// The composer's byte counter: a prompt's UTF-8 size against the protocol limit. Pure.
import { MAX_PROMPT_BYTES, utf8ByteLength } from '../protocol/index.ts';

/** From this share of the limit on, the counter is worth showing in a compact composer. */
export const NEAR_LIMIT = 0.75;

/**
 * The counter's text, whether the prompt is over the limit (MAX_PROMPT_BYTES, 64 KiB of UTF-8) and whether it is
 * near it (≥ NEAR_LIMIT of it, or over).
 */
export function promptSize(prompt: string): { bytes: number; over: boolean; near: boolean; label: string } {
  const bytes = utf8ByteLength(prompt);
  const over = bytes > MAX_PROMPT_BYTES;
  const near = bytes >= MAX_PROMPT_BYTES * NEAR_LIMIT;
  const shown = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
  return { bytes, over, near, label: over ? `${shown} — over the 64 KiB limit` : `${shown} / 64 KiB` };
}
