// decodeFrame: the one way raw socket data becomes a typed message. Never throws.
import type { z } from 'zod';

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Largest frame accepted from a socket, in characters (PartyKit closes client frames over 1 MiB). */
export const MAX_FRAME_CHARS = 512 * 1024;

/**
 * Parse `data` (a JSON string; binary frames are refused) with `schema`. Errors are one line naming the bad
 * paths, suitable for an `error` frame.
 */
export function decodeFrame<S extends z.ZodType>(schema: S, data: unknown): Decoded<z.infer<S>> {
  if (typeof data !== 'string') return { ok: false, error: 'frames must be JSON text' };
  if (data.length > MAX_FRAME_CHARS) return { ok: false, error: `frame over ${MAX_FRAME_CHARS} characters` };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, error: 'frame is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const where = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error: `invalid frame: ${where}` };
}
