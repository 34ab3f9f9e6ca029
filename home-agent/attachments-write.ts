// Writing a task's attached images into its workspace at `.hearth/attachments/<taskId>/<n>.<ext>`: every directory on
// the way is a real directory (a symlink is refused: the workspace is the repository's, not ours), files are created
// new with O_EXCL|O_NOFOLLOW, 0600 in 0700 dirs, and `.hearth/.gitignore` (`*`) keeps them out of every commit.
import { closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { AgentError } from './agent-error.ts';

/** The directory under a workspace that Hearth owns. */
export const HEARTH_DIR = '.hearth';
/** What `.hearth/.gitignore` holds: ignore everything in it, itself included. */
export const GITIGNORE_TEXT = '*\n';

/** A task's image directory relative to its workspace (POSIX separators): `.hearth/attachments/<taskId>`. */
export const attachmentsDirOf = (taskId: string): string => `${HEARTH_DIR}/attachments/${taskId}`;

const refuse = (what: string, why: string): AgentError =>
  new AgentError('attachment-invalid', `${what} in the workspace ${why}: refusing to write attached images through it`);

/** lstat, or null when nothing is there. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * `root`/`parts…` as real directories: each missing one is made 0700; an existing one must be a directory and not a
 * symlink. Afterwards its real path must be the one meant (nothing swapped in meanwhile). Throws AgentError
 * `attachment-invalid`. Returns the absolute path.
 */
export function secureDir(root: string, parts: readonly string[]): string {
  let at = root;
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    const shown = parts.slice(0, i + 1).join('/');
    let stat = lstatOrNull(at);
    if (stat === null) {
      mkdirSync(at, { mode: 0o700 });
      stat = lstatSync(at);
    }
    if (stat.isSymbolicLink()) throw refuse(shown, 'is a symlink');
    if (!stat.isDirectory()) throw refuse(shown, 'is not a directory');
  }
  if (realpathSync(at) !== join(realpathSync(root), ...parts)) throw refuse(parts.join('/'), 'resolves elsewhere');
  return at;
}

/** Create `path` new (never through a symlink, never over a file) with `bytes`, mode 0600. */
export function writeNewFile(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    fchmodSync(fd, 0o600);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * `.hearth/.gitignore` holding `*`: kept when it already says exactly that, else replaced by a new file (a link is
 * unlinked, never followed or truncated); a symlink or a directory there is refused.
 */
export function ensureGitignore(hearthDir: string): void {
  const path = join(hearthDir, '.gitignore');
  const stat = lstatOrNull(path);
  if (stat?.isSymbolicLink()) throw refuse(`${HEARTH_DIR}/.gitignore`, 'is a symlink');
  if (stat && !stat.isFile()) throw refuse(`${HEARTH_DIR}/.gitignore`, 'is not a file');
  if (stat && stat.nlink === 1 && readFileSync(path, 'utf8') === GITIGNORE_TEXT) return;
  if (stat) rmSync(path);
  writeNewFile(path, new TextEncoder().encode(GITIGNORE_TEXT));
}

/**
 * Make the task's image directory under `workspace` (with `.hearth/.gitignore`) and return its absolute path. Throws
 * AgentError `attachment-invalid` when a symlink or a non-directory is on the way, or the directory already exists.
 */
export function prepareAttachmentsDir(workspace: string, taskId: string): string {
  const hearth = secureDir(workspace, [HEARTH_DIR]);
  ensureGitignore(hearth);
  const parent = secureDir(workspace, [HEARTH_DIR, 'attachments']);
  const dir = join(parent, taskId);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(attachmentsDirOf(taskId), 'already exists');
    throw error;
  }
  return secureDir(workspace, [HEARTH_DIR, 'attachments', taskId]);
}
