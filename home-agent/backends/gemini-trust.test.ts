import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { geminiTrustsDir } from './gemini-trust.ts';

test('a directory under world-writable /tmp is never trusted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-gemini-'));
  try {
    expect(geminiTrustsDir(dir, 0)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-root agent never gets the hook layer (Gemini wants root-owned paths)', () => {
  expect(geminiTrustsDir('/', 1000)).toBe(false);
});

test('a missing directory is not trusted', () => {
  expect(geminiTrustsDir('/nonexistent/hearth', 0)).toBe(false);
});

test('a 0700 directory under a private home is trusted exactly when this process is root', () => {
  const base = join(homedir(), '.cache');
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(base, 'hearth-gemini-trust-'));
  try {
    const privateHome = [homedir(), base].every((p) => (statSync(p).mode & 0o022) === 0 && statSync(p).uid === 0);
    expect(geminiTrustsDir(dir)).toBe(process.getuid?.() === 0 && privateHome);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
