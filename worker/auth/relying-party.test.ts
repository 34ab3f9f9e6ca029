import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { relyingParty } from './relying-party.ts';

const good = { DB: { prepare: () => null }, ASSETS: { fetch: () => null }, ROOM_SECRET: 'r'.repeat(32), TICKET_SECRET: 't'.repeat(32), SETUP_SECRET: 's'.repeat(32), PARTYKIT_HOST: 'p.example' };

describe('relyingParty', () => {
  it('takes origin and rpId from the request by default', () => {
    expect(relyingParty({ appOrigin: null, rpId: null }, 'http://localhost:8787/api/auth/passkey')).toEqual({ origin: 'http://localhost:8787', rpId: 'localhost' });
    expect(relyingParty({ appOrigin: null, rpId: null }, 'https://hearth.example.com/api/x?y=1')).toEqual({ origin: 'https://hearth.example.com', rpId: 'hearth.example.com' });
  });

  it('uses APP_ORIGIN and RP_ID from the environment when set', () => {
    const parsed = parseEnv({ ...good, APP_ORIGIN: 'https://app.example.com', RP_ID: 'example.com' });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(relyingParty(parsed.config, 'https://hearth.workers.dev/api')).toEqual({ origin: 'https://app.example.com', rpId: 'example.com' });
    const originOnly = parseEnv({ ...good, APP_ORIGIN: 'https://app.example.com' });
    if (!originOnly.ok) throw new Error(originOnly.error);
    expect(relyingParty(originOnly.config, 'https://other.example/api')).toEqual({ origin: 'https://app.example.com', rpId: 'app.example.com' });
  });

  it('refuses an APP_ORIGIN with a path and an RP_ID that is not a host name', () => {
    const bad = parseEnv({ ...good, APP_ORIGIN: 'https://app.example.com/x', RP_ID: 'https://x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/APP_ORIGIN.*RP_ID/);
  });
});
