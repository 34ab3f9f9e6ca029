// Temp dirs for the real CLIs that /tmp cannot hold: Gemini CLI skips a system settings file when it or any
// ancestor is group/other-writable or not root-owned (/tmp is 1777), and Codex refuses helper binaries under /tmp.
import { lstat, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** `path` and each of its ancestors up to `/`, nearest first. */
function withAncestors(path: string): string[] {
  const all = [resolve(path)];
  while (all.at(-1) !== '/') all.push(dirname(all.at(-1)!));
  return all;
}

/** The first of `paths` that is a symlink, not owned by `owners`, or writable by group/others; null if none. */
async function firstUnsafe(paths: string[], owners: number[]): Promise<string | null> {
  for (const path of paths) {
    const link = await lstat(path);
    const info = await stat(path);
    if (link.isSymbolicLink()) return `${path} is a symlink`;
    if (!owners.includes(info.uid)) return `${path} is owned by uid ${info.uid}`;
    if ((info.mode & 0o022) !== 0) return `${path} is writable by group or others (mode ${(info.mode & 0o7777).toString(8)})`;
  }
  return null;
}

/**
 * A fresh 0700 dir `~/.cache/hearth-test/<label>-XXXXXX` whose every ancestor is writable only by its owner (each
 * level we create is 0700). The caller removes it (`rm(dir, { recursive: true, force: true })`). Throws when an
 * ancestor is unsafe (a symlink, another user's, or group/other-writable) instead of silently using it.
 */
export async function secureTempDir(label = 'run'): Promise<string> {
  const base = join(homedir(), '.cache', 'hearth-test');
  await mkdir(base, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.() ?? 0;
  const problem = await firstUnsafe(withAncestors(base), [uid, 0]);
  if (problem !== null) throw new Error(`secureTempDir: ${problem}; fix it or set HOME to a private directory`);
  return mkdtemp(join(base, `${label}-`));
}

/**
 * Throws unless Gemini CLI 0.61.0 would read `file` as a system settings layer: the file and every ancestor
 * root-owned (uid 0) and not group/other-writable (its `isFileAndDirectorySecureSync`). So only root can use it.
 */
export async function assertGeminiTrustedPath(file: string): Promise<void> {
  const problem = await firstUnsafe(withAncestors(file), [0]);
  if (problem !== null) throw new Error(`Gemini CLI would skip ${file} as insecure: ${problem}`);
}
