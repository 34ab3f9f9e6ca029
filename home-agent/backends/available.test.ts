import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableLaunchers, LAUNCHERS } from './available.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-path-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('availableLaunchers', () => {
  it('offers only shell when no CLI is on PATH', () => {
    expect([...availableLaunchers(dir).keys()]).toEqual(['shell']);
  });

  it('offers a CLI whose executable is on PATH, not a non-executable one', () => {
    writeFileSync(join(dir, 'codex'), '#!/bin/sh\n');
    chmodSync(join(dir, 'codex'), 0o755);
    writeFileSync(join(dir, 'claude'), '#!/bin/sh\n');
    chmodSync(join(dir, 'claude'), 0o644);
    expect([...availableLaunchers(`relative:${dir}`).keys()]).toEqual(['shell', 'codex']);
  });

  it('never puts the prompt into argv: only the prompt file path', () => {
    for (const launcher of LAUNCHERS) {
      const { argv } = launcher.plan({ promptFile: '/state/prompts/x.txt', taskDir: '/state/tasks/x', hearth: ['/n', '/c.ts'], deadlineMs: 60_000, hookEnv: {} });
      expect(argv).toContain('/state/prompts/x.txt');
    }
  });
});
