// Which push endpoints the Worker will ever POST to. The endpoint is named by a client, so it is an SSRF surface:
// https to a public host name only; http://127.0.0.1 and http://localhost only when PUSH_ALLOW_LOCAL_ENDPOINTS is on.

/** Host names that name this machine or a private network, never a public push service. */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;
/** WHATWG URL normalises every IPv4 spelling (0x7f.1, 2130706433…) to dotted decimal, and IPv6 to `[…]`. */
const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;
const LOCAL_DEV_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Why `endpoint` must not be used, or null when it may. Allowed: `https:` to a dotted public host name (no IP
 * literal, no localhost/.local/.internal/.intranet/.lan/.home.arpa or a name under one, no user:password@). The
 * host is checked without its trailing dots (`localhost.` is the fully-qualified `localhost`). With `allowLocal`
 * (dev and tests) also `http:`/`https:` to exactly 127.0.0.1 or localhost, any port. Pure.
 */
export function refusePushEndpoint(endpoint: string, allowLocal: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'the endpoint is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'the endpoint must not carry credentials';
  if (allowLocal && LOCAL_DEV_HOSTS.has(url.hostname) && (url.protocol === 'http:' || url.protocol === 'https:')) return null;
  if (url.protocol !== 'https:') return 'the endpoint must be https';
  const host = url.hostname.replace(/\.+$/, '').toLowerCase();
  if (IP_LITERAL.test(host)) return 'the endpoint must name a host, not an IP address';
  if (!host.includes('.') || PRIVATE_NAME.test(host)) return 'the endpoint must be a public push service';
  return null;
}
