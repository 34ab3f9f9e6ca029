import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Launcher, LaunchContext } from './backend.ts';
import { claudeLauncher, codexLauncher, geminiLauncher } from './ai-cli.ts';

// The launchers' fixed bash lines run for real, against stand-in CLIs on PATH that print the argv they were given.
let dir: string;
let base: LaunchContext;
const PROMPT = 'Fix "it"; then $(touch pwned)\nsecond line';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-ai-cli-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of ['claude', 'codex', 'gemini']) {
    writeFileSync(join(bin, name), '#!/bin/sh\nfor a in "$@"; do printf "%s\\0" "$a"; done\n');
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, 'prompt.txt'), PROMPT);
  mkdirSync(join(dir, 'task'));
  base = { promptFile: join(dir, 'prompt.txt'), taskDir: join(dir, 'task'), hearth: ['/n', '/c.ts'], deadlineMs: 60_000, hookEnv: {} };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The argv the CLI received when the plan's bash line ran (the program name not included). */
function argvSeen(launcher: Launcher, context: LaunchContext): string[] {
  const plan = launcher.plan(context);
  for (const [name, text] of Object.entries(plan.files)) writeFileSync(join(context.taskDir, name), text);
  const [file = '', ...args] = plan.argv;
  const out = execFileSync(file, args, { cwd: dir, env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` }, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe.each([claudeLauncher, codexLauncher, geminiLauncher])('$name with a model', (launcher) => {
  test.each([true, false])('hooks %s: `--model <m>` once, as two words, and the prompt intact', (hooks) => {
    const argv = argvSeen(launcher, { ...base, hooks, model: 'gpt-5.1-codex:latest/x' });
    expect(argv.filter((a) => a === '--model')).toHaveLength(1);
    expect(argv[argv.indexOf('--model') + 1]).toBe('gpt-5.1-codex:latest/x');
    expect(argv.some((a) => a.includes(PROMPT))).toBe(true);
    expect(argv.indexOf('--model')).toBeLessThan(argv.findIndex((a) => a.includes(PROMPT)));
  });

  test.each([true, false])('hooks %s: no model, no --model', (hooks) => {
    const argv = argvSeen(launcher, { ...base, hooks });
    expect(argv).not.toContain('--model');
    expect(argv.some((a) => a.includes(PROMPT))).toBe(true);
  });

  test('the model reaches bash as an argument, never inside the script text', () => {
    const plan = launcher.plan({ ...base, model: 'sonnet' });
    expect(plan.argv.at(-1)).toBe('sonnet');
    expect(plan.argv[4]).not.toContain('sonnet');
  });
});
