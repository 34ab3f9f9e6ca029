// The composer's byte counter counts UTF-8 bytes, not characters, against the 64 KiB protocol limit.
import { describe, expect, it } from 'vitest';
import { CreateTaskRequest, MAX_PROMPT_BYTES } from '../protocol/index.ts';
import { promptSize } from './prompt-size.ts';

describe('promptSize', () => {
  it.each<[string, number, boolean, boolean, string]>([
    ['', 0, false, false, '0 B / 64 KiB'],
    ['ls', 2, false, false, '2 B / 64 KiB'],
    ['é', 2, false, false, '2 B / 64 KiB'],
    ['🔥', 4, false, false, '4 B / 64 KiB'],
    ['x'.repeat(2048), 2048, false, false, '2.0 KiB / 64 KiB'],
    ['x'.repeat(49151), 49151, false, false, '48.0 KiB / 64 KiB'],
    ['x'.repeat(49152), 49152, false, true, '48.0 KiB / 64 KiB'],
    ['x'.repeat(MAX_PROMPT_BYTES), MAX_PROMPT_BYTES, false, true, '64.0 KiB / 64 KiB'],
    ['x'.repeat(MAX_PROMPT_BYTES + 1), MAX_PROMPT_BYTES + 1, true, true, '64.0 KiB — over the 64 KiB limit'],
  ])('%#', (prompt, bytes, over, near, label) => {
    expect(promptSize(prompt)).toEqual({ bytes, over, near, label });
  });

  it('agrees with the protocol schema on where the limit is', () => {
    for (const prompt of ['é'.repeat(MAX_PROMPT_BYTES / 2), `${'é'.repeat(MAX_PROMPT_BYTES / 2 - 1)}xyz`]) {
      const accepted = CreateTaskRequest.safeParse({ workspace: 'w', backend: 'shell', prompt }).success;
      expect(promptSize(prompt).over).toBe(!accepted);
    }
  });
});
