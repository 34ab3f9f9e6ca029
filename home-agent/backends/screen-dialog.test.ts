import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { claudeDialog } from './claude-dialog.ts';
import { codexDialog } from './codex-dialog.ts';
import { geminiDialog } from './gemini-dialog.ts';
import type { DialogReader } from './screen-dialog.ts';

// Lab captures of the pinned CLIs (docs/cli-backends.md §1.3, §2.3, §3.3).
const screen = (name: string): string[] => readFileSync(join(import.meta.dirname, 'screens', `${name}.txt`), 'utf8').split('\n');
const READERS: Record<string, DialogReader> = { claude: claudeDialog, codex: codexDialog, gemini: geminiDialog };

describe.each([
  ['claude', 'claude-dialog-bash', 'Bash command', 'touch approved.txt', ['Do you want to proceed?', '❯ 1. Yes', '3. No']],
  ['claude', 'claude-dialog-write', 'Create file', 'approved.txt', ['Do you want to create approved.txt?', '1 approved']],
  ['codex', 'codex-dialog-exec', 'dialog', 'touch approved.txt', ['Would you like to run the following command?', '$ touch approved.txt', '› 1. Yes, proceed (y)']],
  ['gemini', 'gemini-dialog-shell', 'Shell', 'touch approved.txt', ['? Shell  touch approved.txt', 'Allow execution of [Shell]?', '● 1. Allow once']],
  ['gemini', 'gemini-dialog-write', 'WriteFile', 'Writing to approved.txt', ['Apply this change?', '4. No, suggest changes (esc)']],
])('%s: %s', (cli, name, title, summary, lines) => {
  const dialog = READERS[cli]!(screen(name));

  test('is read with its heading and command or file line', () => {
    expect(dialog).toMatchObject({ title, summary });
  });

  test('carries the dialog lines, trimmed, and none of the screen around it', () => {
    const text = dialog!.text.split('\n');
    for (const line of lines) expect(text).toContain(line);
    expect(text.every((line) => line === line.trim() && line !== '')).toBe(true);
    expect(dialog!.text).not.toMatch(/Create approved\.txt please|I will run the command|[│╭╰]/);
  });

  test('other CLIs do not read it as theirs', () => {
    for (const [other, read] of Object.entries(READERS)) if (other !== cli) expect(read(screen(name))).toBeNull();
  });
});

test.each(['claude-working', 'claude-idle', 'codex-working', 'codex-working-hook-running', 'codex-idle', 'gemini-working', 'gemini-working-hook-running', 'gemini-idle'])(
  '%s shows no dialog to any reader',
  (name) => {
    for (const read of Object.values(READERS)) expect(read(screen(name))).toBeNull();
  },
);

test('a dialog still being drawn (question without its options) is not read yet', () => {
  for (const [cli, name] of [['claude', 'claude-dialog-bash'], ['codex', 'codex-dialog-exec'], ['gemini', 'gemini-dialog-shell']] as const) {
    const rows = screen(name).filter((row) => !/1\. (Yes|Allow once)/.test(row));
    expect(READERS[cli]!(rows)).toBeNull();
  }
});

test('the same dialog reads the same text; a different command changes it', () => {
  const rows = screen('claude-dialog-bash');
  expect(claudeDialog([...rows])!.text).toBe(claudeDialog(rows)!.text);
  const other = rows.map((row) => row.replace('touch approved.txt', 'rm -rf ~'));
  expect(claudeDialog(other)).toMatchObject({ summary: 'rm -rf ~' });
  expect(claudeDialog(other)!.text).not.toBe(claudeDialog(rows)!.text);
});
