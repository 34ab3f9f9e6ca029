// A short "Chrome on Android" label for a User-Agent header, for the session list and the audit log. Pure and
// deliberately simple: a handful of well-known tokens, first match wins; it never claims more than the string says.

/** Browser (or client) tokens, most specific first: Edge and Opera carry "Chrome/", Chrome carries "Safari/". */
const CLIENTS: ReadonlyArray<[pattern: RegExp, name: string]> = [
  [/\bEdg(A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(HeadlessChrome|Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/^node$|^undici\b|\bNode\.js\b/, 'Node.js'],
];

/** Operating systems, most specific first: iPadOS and Android also say "like Mac OS X" / "Linux". */
const SYSTEMS: ReadonlyArray<[pattern: RegExp, name: string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** Longest raw User-Agent shown when no known token matches, in characters. */
const RAW_MAX = 40;

const first = (table: ReadonlyArray<[RegExp, string]>, ua: string): string | null => table.find(([pattern]) => pattern.test(ua))?.[1] ?? null;

/**
 * "Chrome on Android", "Safari on iPhone"; just "Firefox" when no OS is named, just "Linux" when no browser is;
 * nothing known → the raw string cut to 40 characters; null or blank → "Unknown browser".
 */
export function summarizeUserAgent(userAgent: string | null): string {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return 'Unknown browser';
  const client = first(CLIENTS, ua);
  const system = first(SYSTEMS, ua);
  if (client && system) return `${client} on ${system}`;
  const either = client ?? system;
  if (either) return either;
  return ua.length > RAW_MAX ? `${ua.slice(0, RAW_MAX - 1)}…` : ua;
}
