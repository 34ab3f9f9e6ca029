// Checking an uploaded image before it is stored: strict base64 (RFC 4648 §4, padded), 1 … MAX_ATTACHMENT_BYTES
// bytes, and bytes whose own signature is the type named (sniffImageType). Pure: no D1, no request.
import { MAX_ATTACHMENT_BYTES, sniffImageType, type CreateAttachmentRequest } from '../../protocol/index.ts';
import { ProblemError } from '../problem.ts';

/** What the stored row needs: the decoded bytes and their SHA-256 (lowercase hex). */
export type CheckedImage = { bytes: Uint8Array; sha256: string };

const TYPE_NAMES: Record<string, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/gif': 'GIF' };

const invalid = (detail: string, path = 'data'): ProblemError =>
  new ProblemError(400, 'invalid-request', { detail, invalidParams: [{ path, message: detail }] });

/**
 * Standard base64 with padding (length a multiple of 4, `=` only at the end) → bytes. The schema already allows only
 * the alphabet; this refuses unpadded or truncated text rather than guessing. Throws a 400 ProblemError.
 */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw invalid('data must be standard base64 (RFC 4648 §4) with padding');
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Decode and check an upload: 400 `invalid-request` naming `data` when the base64 is malformed, the image empty or
 * over MAX_ATTACHMENT_BYTES, or its bytes are not the `mediaType` it is labelled (a JPEG sent as PNG, a text file).
 */
export async function checkUpload(body: CreateAttachmentRequest): Promise<CheckedImage> {
  const bytes = decodeBase64(body.data);
  if (bytes.length === 0) throw invalid('the image is empty');
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw invalid(`the image is ${bytes.length} bytes; at most ${MAX_ATTACHMENT_BYTES} are accepted`);
  const sniffed = sniffImageType(bytes);
  if (sniffed !== body.mediaType) {
    const named = TYPE_NAMES[body.mediaType] ?? body.mediaType;
    const found = sniffed === null ? 'not a PNG, JPEG, WebP or GIF image' : `a ${TYPE_NAMES[sniffed] ?? sniffed} image`;
    throw invalid(`the file is labelled ${named} but its bytes are ${found}`);
  }
  return { bytes, sha256: await sha256Hex(bytes) };
}
