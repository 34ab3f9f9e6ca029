// How often an agent's lastSeenAt is rewritten: never so seldom that an agent calling all along looks offline.
import { describe, expect, it } from 'vitest';
import { AGENT_OFFLINE_PUSH_MINUTES } from '../../protocol/index.ts';
import { seenResolutionMs } from './agent-bearer.ts';

describe('seenResolutionMs', () => {
  it('is a minute for the default offline time and anything of two minutes or more', () => {
    expect(seenResolutionMs(AGENT_OFFLINE_PUSH_MINUTES * 60_000)).toBe(60_000);
    expect(seenResolutionMs(120_000)).toBe(60_000);
    expect(seenResolutionMs(7 * 24 * 3_600_000)).toBe(60_000);
  });

  it('is half a shorter offline time, so a live agent is always rewritten before it could count as offline', () => {
    expect(seenResolutionMs(2_000)).toBe(1_000);
    expect(seenResolutionMs(1_000)).toBe(500);
    expect(seenResolutionMs(90_001)).toBe(45_000);
    for (const offline of [1_000, 2_000, 59_999, 119_999, 120_000, 600_000]) expect(seenResolutionMs(offline)).toBeLessThan(offline);
  });
});
