// The part of `web-push` the Worker uses, typed without @types/web-push (whose `/// <reference types="node" />` would
// pull Node's globals into the Worker's program). A global script on purpose: `declare module` needs one.
// Imported through the deep path 'web-push/src/index.js' (the package's main) so the ambient declaration applies.

declare module 'web-push/src/index.js' {
  /** What generateRequestDetails gives: an aes128gcm body and the VAPID, TTL, Urgency headers to POST it with. */
  type RequestDetails = {
    method: 'POST';
    endpoint: string;
    /** TTL and Content-Length are numbers. */
    headers: Record<string, string | number>;
    /** null without a payload. */
    body: Uint8Array | null;
  };
  type RequestOptions = {
    vapidDetails: { subject: string; publicKey: string; privateKey: string };
    /** Seconds the push service may keep the message (RFC 8030 §5.2). */
    TTL: number;
    urgency: 'very-low' | 'low' | 'normal' | 'high';
    contentEncoding: 'aes128gcm';
  };
  const webpush: {
    /** Throws on a bad subscription, key or option (before any network call). */
    generateRequestDetails(subscription: { endpoint: string; keys: { p256dh: string; auth: string } }, payload: string, options: RequestOptions): RequestDetails;
  };
  export default webpush;
}
