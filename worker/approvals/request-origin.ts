// Where a decision came from, for the approval's record: the client IP and user agent, trimmed to bounded lengths.
// Recorded, never trusted for access: cf-connecting-ip is set by Cloudflare; x-forwarded-for only when it is absent.

const MAX_IP_CHARS = 64;
const MAX_USER_AGENT_CHARS = 512;

/** Keep printable ASCII only and cut to `max` characters; null when nothing is left. */
function clean(value: string | undefined | null, max: number): string | null {
  const kept = (value ?? '').replace(/[^\x20-\x7e]/g, '').trim().slice(0, max);
  return kept === '' ? null : kept;
}

/** The client IP (cf-connecting-ip, else the first x-forwarded-for entry) and user agent of a request, or nulls. */
export function requestOrigin(headers: Headers): { ip: string | null; userAgent: string | null } {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0];
  return {
    ip: clean(headers.get('cf-connecting-ip') ?? forwarded, MAX_IP_CHARS),
    userAgent: clean(headers.get('user-agent'), MAX_USER_AGENT_CHARS),
  };
}
