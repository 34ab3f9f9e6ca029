// Reading a JSON request body: Content-Type check (415), size cap (413), JSON syntax (400), zod (400 + paths).
// Bad input throws a ProblemError before anything is written.
import type { Context } from 'hono';
import type { z } from 'zod';
import { ProblemError, validationProblem } from './problem.ts';

/** Default cap for small bodies, in bytes. */
export const SMALL_BODY_BYTES = 16 * 1024;

/** True for `application/json` and `application/<x>+json`, parameters allowed (`; charset=utf-8`). */
export const isJsonType = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

/**
 * Read at most `maxBytes` bytes of the body; throws 413 past the cap (Content-Length or streamed count), with
 * `tooLarge` as the detail when given (to name the field that is really limited).
 */
async function readCapped(req: Request, maxBytes: number, tooLarge?: string): Promise<Uint8Array> {
  const problem = () => new ProblemError(413, 'payload-too-large', { detail: tooLarge ?? `the body is over ${maxBytes} bytes` });
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw problem();
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw problem();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Parse JSON text without validating it; throws 415/413/400 as ProblemError (`tooLarge`: the 413 detail). */
export async function readJsonValue(c: Context, maxBytes: number = SMALL_BODY_BYTES, tooLarge?: string): Promise<unknown> {
  if (!isJsonType(c.req.header('content-type'))) throw new ProblemError(415, 'unsupported-media-type');
  const bytes = await readCapped(c.req.raw, maxBytes, tooLarge);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ProblemError(400, 'invalid-request', { detail: 'the body is not valid UTF-8' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProblemError(400, 'invalid-request', { detail: 'the body is not valid JSON' });
  }
}

/** Read and validate a JSON body against `schema` (at most `maxBytes` bytes; `tooLarge`: the 413 detail). */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes: number = SMALL_BODY_BYTES, tooLarge?: string): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJsonValue(c, maxBytes, tooLarge));
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
}
