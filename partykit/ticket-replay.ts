// Single use of room tickets: remembers each redeemed `jti` in room storage until its `exp`, then prunes it.
// Runs inside the room object (onConnect), whose storage calls are serialized, so two redemptions cannot race.

/** The part of Durable Object storage this module needs. */
export type JtiStorage = {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list<T>(options: { prefix: string; limit?: number }): Promise<Map<string, T>>;
};

const PREFIX = 'jti:';

/**
 * Record `jti` as used until `exp` (epoch s). Returns false when it was already used (a replay). Expired entries
 * are pruned on the way, at most `pruneBatch` per call, so storage stays bounded by the tickets of the last TTL.
 */
export async function redeemTicketId(
  storage: JtiStorage,
  jti: string,
  exp: number,
  nowSeconds: number,
  pruneBatch = 1000,
): Promise<boolean> {
  const key = PREFIX + jti;
  if ((await storage.get<number>(key)) !== undefined) return false;
  await storage.put(key, exp);
  const seen = await storage.list<number>({ prefix: PREFIX, limit: pruneBatch });
  const stale = [...seen].filter(([, e]) => typeof e !== 'number' || e <= nowSeconds).map(([k]) => k);
  if (stale.length > 0) await storage.delete(stale);
  return true;
}
