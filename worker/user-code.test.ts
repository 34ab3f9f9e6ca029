import { describe, expect, it } from 'vitest';
import { USER_CODE_ALPHABET, UserCode } from '../protocol/index.ts';
import { formatUserCode, generateUserCode } from './user-code.ts';

describe('user codes', () => {
  it('are 8 letters from the alphabet and parse back through UserCode', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      expect(code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{8}$`));
      expect(UserCode.parse(formatUserCode(code))).toBe(code);
      expect(UserCode.parse(formatUserCode(code).toLowerCase())).toBe(code);
    }
  });

  it('display as XXXX-XXXX', () => {
    expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });

  it('reject biased bytes (≥ 240) instead of folding them onto the first letters', () => {
    const bytes = [255, 250, 240, 0, 19, 20, 239, 1, 2, 3, 4, 5];
    let served = 0;
    const code = generateUserCode((n) => {
      const out = new Uint8Array(n).fill(0);
      for (let i = 0; i < n; i++) out[i] = bytes[served++] ?? 0;
      return out;
    });
    // 255, 250, 240 dropped; then 0→B, 19→Z, 20→B, 239→Z (239 % 20 = 19), 1→C, 2→D, 3→F, 4→G
    expect(code).toBe('BZBZCDFG');
  });

  it('are well spread over the alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const ch of generateUserCode()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(USER_CODE_ALPHABET.length);
    for (const n of counts.values()) expect(n).toBeGreaterThan(500); // mean 800
  });
});
