import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { claudeScreen } from './claude-screen.ts';
import { codexScreen } from './codex-screen.ts';
import { geminiScreen } from './gemini-screen.ts';
import type { ScreenReader } from './screen-state.ts';

// Screens captured from the pinned CLIs (docs/cli-backends.md §1.3, §2.3, §3.3; lab captures/canonical).
const screen = (name: string): string[] => readFileSync(join(import.meta.dirname, 'screens', `${name}.txt`), 'utf8').split('\n');

const READERS: Record<string, ScreenReader> = { claude: claudeScreen, codex: codexScreen, gemini: geminiScreen };

describe.each([
  ['claude', 'claude-working', 'working'],
  ['claude', 'claude-dialog-bash', 'other'],
  ['claude', 'claude-dialog-write', 'other'],
  ['claude', 'claude-idle', 'idle'],
  ['codex', 'codex-working', 'working'],
  ['codex', 'codex-working-hook-running', 'working'],
  ['codex', 'codex-dialog-exec', 'other'],
  ['codex', 'codex-idle', 'idle'],
  ['gemini', 'gemini-working', 'working'],
  ['gemini', 'gemini-working-hook-running', 'working'],
  ['gemini', 'gemini-dialog-shell', 'other'],
  ['gemini', 'gemini-dialog-write', 'other'],
  ['gemini', 'gemini-idle', 'idle'],
])('%s: %s', (cli, name, expected) => {
  test(`reads as ${expected}`, () => {
    expect(READERS[cli]!(screen(name))).toBe(expected);
  });
});

test('an empty screen (the CLI still starting) is neither working nor idle', () => {
  for (const read of Object.values(READERS)) expect(read(['', ''])).toBe('other');
});
