import { describe, expect, it } from 'vitest';
import { PASSKEY_RECENT_MS } from '../../protocol/index.ts';
import { passkeyRecent } from './recent-passkey.ts';

describe('passkeyRecent', () => {
  const now = 1_800_000_000_000;
  it.each<[string, number | null, boolean]>([
    ['never verified', null, false],
    ['just now', now, true],
    ['exactly 5 minutes ago', now - PASSKEY_RECENT_MS, true],
    ['5 minutes and 1 ms ago', now - PASSKEY_RECENT_MS - 1, false],
    ['in the future (clock skew or a forged row)', now + 1_000, false],
  ])('%s → %s', (_, verifiedAt, expected) => expect(passkeyRecent(verifiedAt, now)).toBe(expected));
});
