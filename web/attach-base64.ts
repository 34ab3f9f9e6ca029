// Standard base64 (RFC 4648 §4, padded) of an image's bytes for CreateAttachmentRequest.data. Pure.

/** Bytes per String.fromCharCode call: far below engines' argument limits. */
const CHUNK = 0x8000;

/** `bytes` as padded standard base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) parts.push(String.fromCharCode(...bytes.subarray(at, at + CHUNK)));
  return btoa(parts.join(''));
}
