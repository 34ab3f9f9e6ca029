import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

const DB = { prepare: () => null };
const ASSETS = { fetch: () => null };
const good = { DB, ASSETS, ROOM_SECRET: 'r'.repeat(32), TICKET_SECRET: 't'.repeat(32), SETUP_SECRET: 's'.repeat(32), PARTYKIT_HOST: '127.0.0.1:1999' };

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

  it('wants a ticket secret of its own', () => {
    const missing = parseEnv({ ...good, TICKET_SECRET: undefined });
    expect(!missing.ok && missing.error).toContain('TICKET_SECRET');
    const same = parseEnv({ ...good, TICKET_SECRET: good.ROOM_SECRET });
    expect(!same.ok && same.error).toContain('TICKET_SECRET: must differ from ROOM_SECRET');
    expect(!same.ok && same.error).not.toContain(good.ROOM_SECRET);
    const ok = parseEnv(good);
    expect(ok.ok && [ok.config.roomSecret, ok.config.ticketSecret]).toEqual([good.ROOM_SECRET, good.TICKET_SECRET]);
  });
});
