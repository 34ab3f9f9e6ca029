// What to do with an image the owner picked, before it is uploaded: send it as it is, re-encode it to a JPEG that fits
// (MAX_ATTACHMENT_BYTES, at most MAX_LONG_SIDE px on the long side), or refuse it with a reason. Pure: no DOM.
import { MAX_ATTACHMENT_BYTES, type ImageMediaType } from '../protocol/index.ts';

/** Longest side, in px, of an image sent as it is; larger photos are scaled down to it. */
export const MAX_LONG_SIDE = 2048;
/** JPEG qualities tried in turn when re-encoding, until one fits MAX_ATTACHMENT_BYTES. */
export const JPEG_QUALITIES: readonly number[] = [0.85, 0.7, 0.55, 0.4];

export type Plan =
  | { kind: 'send'; mediaType: ImageMediaType }
  | { kind: 'reencode'; width: number; height: number }
  | { kind: 'refuse'; reason: string };

/** "840 KB", "1.5 MB": a byte count for people (SI units, as phones show file sizes). */
export function describeBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** `width`×`height` scaled down (never up) so the long side is at most `maxLong` px; whole pixels, at least 1. */
export function fitWithin(width: number, height: number, maxLong: number): { width: number; height: number } {
  const scale = Math.min(1, maxLong / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The plan for an image whose bytes begin as `sniffed` (sniffImageType; null: another format the browser may still
 * decode, e.g. HEIC or BMP), `size` bytes, and `width`×`height` px once decoded (null for a GIF, which is never
 * decoded). A GIF is sent as it is (re-encoding would drop its animation) or refused when too big.
 */
export function planImage(image: { sniffed: ImageMediaType | null; size: number; width: number | null; height: number | null }): Plan {
  const limit = describeBytes(MAX_ATTACHMENT_BYTES);
  if (image.sniffed === 'image/gif') {
    return image.size <= MAX_ATTACHMENT_BYTES
      ? { kind: 'send', mediaType: 'image/gif' }
      : { kind: 'refuse', reason: `Too big: this GIF is ${describeBytes(image.size)}; GIFs are sent as they are, up to ${limit}.` };
  }
  if (image.width === null || image.height === null) return { kind: 'refuse', reason: 'This image could not be read.' };
  const fits = image.size <= MAX_ATTACHMENT_BYTES && Math.max(image.width, image.height) <= MAX_LONG_SIDE;
  if (image.sniffed !== null && fits) return { kind: 'send', mediaType: image.sniffed };
  return { kind: 'reencode', ...fitWithin(image.width, image.height, MAX_LONG_SIDE) };
}

/** The refusal when even the lowest JPEG quality is over the limit. */
export const TOO_BIG_AFTER_SHRINKING = `Too big: even scaled down to ${MAX_LONG_SIDE} px this image is over ${describeBytes(MAX_ATTACHMENT_BYTES)}.`;

/** The refusal for a file that is not an image at all (its type says so; nothing is decoded). */
export const NOT_AN_IMAGE = 'Not an image: attach a PNG, JPEG, WebP or GIF.';

const EXTENSIONS: Record<ImageMediaType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' };

/**
 * The name sent with an image (AttachmentName: 1–128 characters, no control characters or slashes): the file's own
 * name cleaned, its extension matching what is sent (`.jpg` after re-encoding); `image.<ext>` when nothing is left.
 */
export function attachmentName(original: string, mediaType: ImageMediaType): string {
  const ext = EXTENSIONS[mediaType];
  const cleaned = original.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  const stem = cleaned.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 128 - ext.length - 1);
  return `${stem === '' ? 'image' : stem}.${ext}`;
}
