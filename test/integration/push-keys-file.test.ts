// `npm run push:keys -- --force` over an existing file: the private key never goes into that file (it may be 0644, or
// a symlink to somewhere else); a new 0600 file is renamed into its place.
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/push-keys.ts');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-push-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pushKeys = (...args: string[]) => execa(process.execPath, [SCRIPT, '--subject', 'mailto:keys@hearth.invalid', ...args], { reject: false });

describe('push:keys --force', () => {
  it('replaces a symlink instead of writing the key through it', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me', { mode: 0o644 });
    const out = join(dir, 'keys.env');
    symlinkSync(victim, out);
    const run = await pushKeys('--out', out, '--force');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^VAPID_PUBLIC_KEY=.+\nVAPID_PRIVATE_KEY=.+\nVAPID_SUBJECT=mailto:keys@hearth\.invalid\n$/);
    expect(readdirSync(dir).sort()).toEqual(['keys.env', 'victim.txt']); // no temporary file left behind
  });

  it('replaces a 0644 file with a new 0600 one (the old inode, which others may hold open, never gets the key)', async () => {
    const out = join(dir, 'keys.env');
    writeFileSync(out, 'OLD=1\n', { mode: 0o644 });
    const before = statSync(out).ino;
    const run = await pushKeys('--out', out, '--force');
    expect(run.exitCode, run.stderr).toBe(0);
    const after = statSync(out);
    expect(after.ino).not.toBe(before);
    expect(after.mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain('VAPID_PRIVATE_KEY=');
  });

  it('without --force refuses an existing file and leaves it alone', async () => {
    const out = join(dir, 'keys.env');
    writeFileSync(out, 'OLD=1\n', { mode: 0o644 });
    const run = await pushKeys('--out', out);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/exists: pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('OLD=1\n');
  });
});
