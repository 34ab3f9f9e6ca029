// Turning a picked file into what is uploaded: its bytes sniffed (the type comes from the bytes, not the file name),
// decoded for its size in pixels, and re-encoded to a JPEG on a canvas when it is too big (attach-plan.ts decides).
// Browser-only (createImageBitmap, OffscreenCanvas or <canvas>); no network, no DOM outside a scratch canvas.
import { MAX_ATTACHMENT_BYTES, sniffImageType, type ImageMediaType } from '../protocol/index.ts';
import { JPEG_QUALITIES, NOT_AN_IMAGE, TOO_BIG_AFTER_SHRINKING, attachmentName, planImage } from './attach-plan.ts';

/** What to upload (`blob` is also the thumbnail), or why the file is refused. */
export type Prepared = { ok: true; blob: Blob; mediaType: ImageMediaType; name: string } | { ok: false; reason: string };

/** Decode `blob`, or null when this browser cannot read it. The caller closes the bitmap. */
async function decode(blob: Blob): Promise<ImageBitmap | null> {
  try {
    return await createImageBitmap(blob);
  } catch {
    return null;
  }
}

/** Draw `bitmap` at `width`×`height` on white (JPEG has no alpha) and encode it as JPEG at `quality` (0–1). */
async function toJpeg(doc: Document, bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw images');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = doc.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw images');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the image could not be encoded'))), 'image/jpeg', quality));
}

/**
 * Prepare `file` for upload: sent as it is when it already fits (PNG, JPEG, WebP or GIF by its bytes, ≤ the limit,
 * ≤ 2048 px), else re-encoded to JPEG at falling qualities until it fits; GIFs are never re-encoded.
 */
export async function prepareImage(doc: Document, file: File): Promise<Prepared> {
  if (file.type !== '' && !file.type.startsWith('image/')) return { ok: false, reason: NOT_AN_IMAGE };
  const sniffed = sniffImageType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (sniffed === 'image/gif') {
    const plan = planImage({ sniffed, size: file.size, width: null, height: null });
    if (plan.kind === 'refuse') return { ok: false, reason: plan.reason };
    return { ok: true, blob: file, mediaType: 'image/gif', name: attachmentName(file.name, 'image/gif') };
  }
  const bitmap = await decode(file);
  if (!bitmap) return { ok: false, reason: sniffed === null ? NOT_AN_IMAGE : 'This image could not be read.' };
  try {
    const plan = planImage({ sniffed, size: file.size, width: bitmap.width, height: bitmap.height });
    if (plan.kind === 'refuse') return { ok: false, reason: plan.reason };
    if (plan.kind === 'send') return { ok: true, blob: file, mediaType: plan.mediaType, name: attachmentName(file.name, plan.mediaType) };
    for (const quality of JPEG_QUALITIES) {
      const blob = await toJpeg(doc, bitmap, plan.width, plan.height, quality);
      if (blob.size <= MAX_ATTACHMENT_BYTES) return { ok: true, blob, mediaType: 'image/jpeg', name: attachmentName(file.name, 'image/jpeg') };
    }
    return { ok: false, reason: TOO_BIG_AFTER_SHRINKING };
  } finally {
    bitmap.close();
  }
}
