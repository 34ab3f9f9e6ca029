import { describe, expect, it } from 'vitest';
import { REVOKED_SID_MEMORY_SECONDS, TICKET_TTL_SECONDS } from '../protocol/index.ts';
import { createRevokedSids } from './revoked-sids.ts';
import type { JtiStorage } from './ticket-replay.ts';

/** Durable Object storage as the room sees it, in a Map (values are epoch seconds here). */
function mapStorage(): JtiStorage & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => map.get(key) as T | undefined,
    put: async <T>(key: string, value: T) => void map.set(key, value),
    delete: async (keys: string[]) => keys.filter((k) => map.delete(k)).length,
    list: async <T>({ prefix }: { prefix: string }) => new Map([...map].filter(([k]) => k.startsWith(prefix))) as Map<string, T>,
  };
}

const NOW = 1_800_000_000;

describe('revoked sids', () => {
  it('remembers a revoked sid longer than any ticket minted before the revocation can live', async () => {
    const revoked = createRevokedSids(mapStorage());
    await revoked.remember('session-1', NOW);
    expect(REVOKED_SID_MEMORY_SECONDS).toBeGreaterThanOrEqual(TICKET_TTL_SECONDS);
    expect(await revoked.has('session-1', NOW)).toBe(true);
    expect(await revoked.has('session-1', NOW + TICKET_TTL_SECONDS)).toBe(true);
    expect(await revoked.has('session-1', NOW + REVOKED_SID_MEMORY_SECONDS)).toBe(false);
    expect(await revoked.has('session-2', NOW)).toBe(false);
  });

  it('survives the room object being rebuilt (storage, not memory)', async () => {
    const storage = mapStorage();
    await createRevokedSids(storage).remember('device-1', NOW);
    expect(await createRevokedSids(storage).has('device-1', NOW + 1)).toBe(true);
  });

  it('is seen at once, before its storage write completes', async () => {
    const storage = mapStorage();
    let release: () => void = () => undefined;
    const slowPut: JtiStorage = { ...storage, put: (key, value) => new Promise((ok) => (release = () => ok(void storage.map.set(key, value)))) };
    const revoked = createRevokedSids(slowPut);
    const remembering = revoked.remember('session-1', NOW);
    expect(await revoked.has('session-1', NOW)).toBe(true);
    release();
    await remembering;
    expect(storage.map.get('revoked:session-1')).toBe(NOW + REVOKED_SID_MEMORY_SECONDS);
  });

  it('prunes entries that ran out', async () => {
    const storage = mapStorage();
    const revoked = createRevokedSids(storage);
    await revoked.remember('old', NOW);
    await revoked.remember('new', NOW + REVOKED_SID_MEMORY_SECONDS);
    expect([...storage.map.keys()]).toEqual(['revoked:new']);
  });
});
