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

describe('parseEnv: Web Push', () => {
  const vapid = {
    VAPID_PUBLIC_KEY: `B${'A'.repeat(86)}`,
    VAPID_PRIVATE_KEY: 'p'.repeat(43),
    VAPID_SUBJECT: 'mailto:owner@example.com',
  };

  it('turns push off without VAPID keys, on with all three, and keeps local endpoints off unless "true"', () => {
    const off = parseEnv(good);
    expect(off.ok && [off.config.vapid, off.config.pushAllowLocalEndpoints, off.config.agentOfflinePushMs]).toEqual([null, false, 600_000]);
    const on = parseEnv({ ...good, ...vapid, PUSH_ALLOW_LOCAL_ENDPOINTS: 'true', AGENT_OFFLINE_PUSH_MS: '2000' });
    expect(on.ok && [on.config.vapid, on.config.pushAllowLocalEndpoints, on.config.agentOfflinePushMs]).toEqual([
      { publicKey: vapid.VAPID_PUBLIC_KEY, privateKey: vapid.VAPID_PRIVATE_KEY, subject: vapid.VAPID_SUBJECT },
      true,
      2000,
    ]);
    const https = parseEnv({ ...good, ...vapid, VAPID_SUBJECT: 'https://hearth.example/contact' });
    expect(https.ok && https.config.vapid?.subject).toBe('https://hearth.example/contact');
  });

  it('refuses a partial or malformed VAPID config, naming the key and never echoing it', () => {
    const partial = parseEnv({ ...good, VAPID_PUBLIC_KEY: vapid.VAPID_PUBLIC_KEY });
    expect(!partial.ok && partial.error).toContain('VAPID_PUBLIC_KEY: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together');
    const short = parseEnv({ ...good, ...vapid, VAPID_PRIVATE_KEY: 'secret-but-short' });
    expect(!short.ok && short.error).toContain('VAPID_PRIVATE_KEY: must be base64url of a 32-byte P-256 private key');
    expect(!short.ok && short.error).not.toContain('secret-but-short');
    expect(parseEnv({ ...good, ...vapid, VAPID_SUBJECT: 'http://hearth.example' }).ok).toBe(false);
    expect(parseEnv({ ...good, ...vapid, PUSH_ALLOW_LOCAL_ENDPOINTS: 'yes' }).ok).toBe(false);
    expect(parseEnv({ ...good, AGENT_OFFLINE_PUSH_MS: '10' }).ok).toBe(false);
  });
});
