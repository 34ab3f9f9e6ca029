import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

const DB = { prepare: () => null };
const ASSETS = { fetch: () => null };
const good = { DB, ASSETS, ROOM_SECRET: 'r'.repeat(32), SETUP_SECRET: 's'.repeat(32), PARTYKIT_HOST: '127.0.0.1:1999' };

describe('parseEnv', () => {
  it('derives http for a local PartyKit host and https otherwise, with defaults', () => {
    const local = parseEnv(good);
    expect(local.ok && local.config.partykitOrigin).toBe('http://127.0.0.1:1999');
    expect(local.ok && local.config.deviceCodeTtlSeconds).toBe(600);
    expect(local.ok && local.config.leaseMs).toBe(60_000);
    const remote = parseEnv({ ...good, PARTYKIT_HOST: 'hearth.me.partykit.dev' });
    expect(remote.ok && remote.config.partykitOrigin).toBe('https://hearth.me.partykit.dev');
    const forced = parseEnv({ ...good, PARTYKIT_PROTOCOL: 'https' });
    expect(forced.ok && forced.config.partykitOrigin).toBe('https://127.0.0.1:1999');
  });

  it('parses the test overrides from strings', () => {
    const r = parseEnv({ ...good, DEVICE_CODE_TTL_SECONDS: '2', LEASE_MS: '1500' });
    expect(r.ok && [r.config.deviceCodeTtlSeconds, r.config.leaseMs]).toEqual([2, 1500]);
  });

  it('names bad keys and never echoes secret values', () => {
    const r = parseEnv({ ...good, ROOM_SECRET: 'short-secret-value', PARTYKIT_HOST: 'http://x/y', DB: undefined });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain('ROOM_SECRET');
    expect(r.error).toContain('PARTYKIT_HOST');
    expect(r.error).toContain('DB');
    expect(r.error).not.toContain('short-secret-value');
  });
});
