// Revoked sessions and devices (RoomNotification `revoke`): each revoked `sid` is remembered in room storage for
// REVOKED_SID_MEMORY_SECONDS, so a ticket minted just before the revocation cannot connect after it. A copy in
// memory is written before any await, so a connection checked in between cannot slip through.
import { REVOKED_SID_MEMORY_SECONDS } from '../protocol/index.ts';
import type { JtiStorage } from './ticket-replay.ts';

const PREFIX = 'revoked:';

export type RevokedSids = {
  /** Remember `sid` as revoked from `nowSeconds` (epoch s) on; prunes entries that have run out. */
  remember(sid: string, nowSeconds: number): Promise<void>;
  /** Whether `sid` was revoked and is still remembered at `nowSeconds`. */
  has(sid: string, nowSeconds: number): Promise<boolean>;
};

/** Revoked sids of one room, kept in `storage` (key `revoked:<sid>` → until, epoch s) with an in-memory copy in front. */
export function createRevokedSids(storage: JtiStorage, pruneBatch = 1000): RevokedSids {
  const memory = new Map<string, number>();
  return {
    async remember(sid, nowSeconds) {
      const until = nowSeconds + REVOKED_SID_MEMORY_SECONDS;
      memory.set(sid, until);
      await storage.put(PREFIX + sid, until);
      for (const [s, u] of memory) if (u <= nowSeconds) memory.delete(s);
      const seen = await storage.list<number>({ prefix: PREFIX, limit: pruneBatch });
      const stale = [...seen].filter(([, u]) => typeof u !== 'number' || u <= nowSeconds).map(([k]) => k);
      if (stale.length > 0) await storage.delete(stale);
    },
    async has(sid, nowSeconds) {
      const stored = await storage.get<number>(PREFIX + sid);
      // Read memory after the await: a revocation that arrived while storage answered is seen here.
      const until = Math.max(typeof stored === 'number' ? stored : 0, memory.get(sid) ?? 0);
      return until > nowSeconds;
    },
  };
}
