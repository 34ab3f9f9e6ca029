// Image attachments (issue 5): a photo from the phone's camera or library, held by the Worker only until the agent
// has written it into the task's workspace at home. The envelope (id, type, size, hash) is apart from the bytes.
import { z } from 'zod';
import { TaskId } from './ids.ts';

export const AttachmentId = z.uuid();
export type AttachmentId = z.infer<typeof AttachmentId>;

/** The image types accepted, checked against the bytes' own signature (sniffImageType), not only the label. */
export const ImageMediaType = z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
export type ImageMediaType = z.infer<typeof ImageMediaType>;

/** Largest attachment, in bytes (decoded). D1 caps one value at 2 MB; the phone re-encodes larger photos to fit. */
export const MAX_ATTACHMENT_BYTES = 1_500_000;
/** Most attachments on one task. */
export const MAX_ATTACHMENTS_PER_TASK = 4;
/** An attachment not bound to a task within this many ms is deleted. */
export const UNBOUND_ATTACHMENT_TTL_MS = 60 * 60_000;
/**
 * Most images an owner may hold unbound (uploaded, not yet on a task, not expired), and their most bytes together:
 * two tasks' worth. An upload past either is refused (409 `conflict`) until some are sent, removed or expire.
 */
export const MAX_UNBOUND_ATTACHMENTS = 8;
export const MAX_UNBOUND_ATTACHMENT_BYTES = MAX_UNBOUND_ATTACHMENTS * MAX_ATTACHMENT_BYTES;

/** A file name as the phone shows it; the agent never uses it as a path (it writes `<n>.<ext>` under its own dir). */
export const AttachmentName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\u0000-\u001f\u007f/\\]*$/, 'a file name may not contain control characters or slashes');

/**
 * POST /api/attachments (phone session) → 201 AttachmentView. `data` is standard base64 (RFC 4648 §4) of at most
 * MAX_ATTACHMENT_BYTES; the Worker checks that the bytes are the image type named (400 `invalid-request` if not).
 */
export const CreateAttachmentRequest = z.strictObject({
  name: AttachmentName,
  mediaType: ImageMediaType,
  data: z
    .string()
    .max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4, `an attachment may be at most ${MAX_ATTACHMENT_BYTES} bytes`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'data must be base64'),
});
export type CreateAttachmentRequest = z.infer<typeof CreateAttachmentRequest>;

/** An attachment's envelope. `sha256` is hex over the bytes; the agent checks it after download. Times epoch ms. */
export const AttachmentView = z.object({
  id: AttachmentId,
  taskId: TaskId.nullable(),
  name: AttachmentName,
  mediaType: ImageMediaType,
  bytes: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int(),
  /** When the agent confirmed it wrote the file at home; the Worker then drops the bytes. */
  receivedAt: z.number().int().nullable(),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

// GET /api/agent/attachments/:id (agent bearer) → 200 the bytes (Content-Type: the mediaType), only while the
// attachment's task is claimed by this agent; 404 otherwise; 410 once received (bytes dropped).
// POST /api/agent/attachments/:id/received (agent bearer, no body) → 200 AttachmentView; idempotent.

/**
 * The image type the bytes begin with (PNG, JPEG, WebP, GIF signatures), or null. Used by the Worker on upload and
 * by the agent before writing, so a mislabelled or non-image file is refused at both ends.
 */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | null {
  const at = (i: number): number => bytes[i] ?? -1;
  const ascii = (from: number, text: string): boolean => [...text].every((ch, i) => at(from + i) === ch.charCodeAt(0));
  if (at(0) === 0x89 && ascii(1, 'PNG\r\n\u001a\n')) return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  return null;
}

/** The file extension the agent gives an attachment of this type. */
export const IMAGE_EXTENSIONS: Record<ImageMediaType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};
