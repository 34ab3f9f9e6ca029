// Fixed-window rate limits counted in D1 (`rate_limits`): one conditional upsert per hit, a 429 `rate-limited` problem
// with Retry-After when a window is full. Mechanism only: which limits apply where lives in rate-limit-rules.ts.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from './app-env.ts';
import { rateLimits } from './db/schema.ts';
import { ProblemError } from './problem.ts';

/** A limit: at most `limit` hits per fixed window of `windowMs` ms, per key. `name` starts the key. */
export type RateLimit = { name: string; limit: number; windowMs: number };

/** One hit on `rule` by `who` (`ip:<addr>`, `ip6:<prefix>/64`, `owner:<id>`). */
export type Hit = { rule: RateLimit; who: string };

/** A counted hit: the row it went to, so it can be given back. */
export type Taken = { key: string; windowStart: number };

/** The start of the window `now` falls in (epoch ms): windows are aligned to multiples of windowMs since the epoch. */
export const windowStartOf = (now: number, windowMs: number): number => now - (now % windowMs);

/** Whole seconds until the window holding `now` ends (at least 1), for Retry-After (RFC 9110 §10.2.3). */
export const retryAfterSeconds = (now: number, windowMs: number): number =>
  Math.max(1, Math.ceil((windowStartOf(now, windowMs) + windowMs - now) / 1000));

/** The rate_limits key of a hit: `<rule name>:<who>`. */
export const keyOf = (hit: Hit): string => `${hit.rule.name}:${hit.who}`;

/** Keep an IPv4 address as is; cut an IPv6 one to its /64 (one host usually holds a whole /64). */
function ipv6Prefix(ip: string): string | null {
  const bare = ip.toLowerCase().replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':');
}

/**
 * The per-IP `who` of a client address (as requestOrigin gives it; null when unknown): `ip:<IPv4>`, `ip:<IPv4>` for
 * an IPv4-mapped IPv6 address, `ip6:<first four groups>/64` for IPv6, `ip:unknown` without an address.
 */
export function ipWho(ip: string | null): string {
  if (ip === null) return 'ip:unknown';
  const mapped = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return `ip:${mapped[1]}`;
  const prefix = ip.includes(':') ? ipv6Prefix(ip) : null;
  return prefix === null ? `ip:${ip}` : `ip6:${prefix}::/64`;
}

/** The 429 for a full window of `rule` at `now`: `rate-limited` with Retry-After in seconds. */
export function rateLimited(rule: RateLimit, now: number, detail?: string): ProblemError {
  const wait = retryAfterSeconds(now, rule.windowMs);
  return new ProblemError(429, 'rate-limited', {
    detail: detail ?? `too many requests: try again in ${wait} s`,
    headers: { 'retry-after': String(wait) },
  });
}

/** The one upsert of a hit: a new window row starts at 1; an existing one grows by 1 only while under the limit. */
const upsertHit = (db: Db, hit: Hit, now: number) =>
  db
    .insert(rateLimits)
    .values({ key: keyOf(hit), windowStart: windowStartOf(now, hit.rule.windowMs), count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
      setWhere: lt(rateLimits.count, hit.rule.limit),
    })
    .returning({ count: rateLimits.count });

/** Give back hits counted earlier (the request turned out not to count): each count −1, never below 0. */
export async function giveBack(db: Db, taken: readonly Taken[]): Promise<void> {
  const [first, ...rest] = taken.map((t) =>
    db
      .update(rateLimits)
      .set({ count: sql`${rateLimits.count} - 1` })
      .where(and(eq(rateLimits.key, t.key), eq(rateLimits.windowStart, t.windowStart), gt(rateLimits.count, 0))),
  );
  if (first) await db.batch([first, ...rest]);
}

/**
 * Count `hits` at `now` (epoch ms) in one round trip. When any window is already full nothing stays counted (the
 * others are given back) and the 429 of the first full one is thrown; otherwise resolves with what was counted.
 */
export async function takeHits(db: Db, hits: readonly Hit[], now: number): Promise<Taken[]> {
  const [first, ...rest] = hits.map((h) => upsertHit(db, h, now));
  if (!first) return [];
  const results = await db.batch([first, ...rest]);
  const taken: Taken[] = [];
  let full: Hit | undefined;
  hits.forEach((hit, i) => {
    if ((results[i]?.length ?? 0) > 0) taken.push({ key: keyOf(hit), windowStart: windowStartOf(now, hit.rule.windowMs) });
    else full ??= hit;
  });
  if (full === undefined) return taken;
  await giveBack(db, taken);
  throw rateLimited(full.rule, now);
}

/** Delete windows that started before `cutoff` (epoch ms): run by the cron with now − the longest window. */
export async function pruneRateLimits(db: Db, cutoff: number): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, cutoff));
}
