// A claimed task's attached images, before its CLI starts: download each (bearer, capped) and check size, SHA-256 and
// the bytes' own type against the envelope, all into memory; only then write them into the workspace (attachments-write.ts),
// confirm receipt so the Worker drops the bytes, and hand the paths to the CLI (prompt lines, or HEARTH_ATTACHMENTS for shell).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_EXTENSIONS, MAX_ATTACHMENT_BYTES, sniffImageType, type AttachmentView, type Backend } from '../protocol/index.ts';
import { AgentError, errorLine } from './agent-error.ts';
import { attachmentsDirOf, prepareAttachmentsDir, writeNewFile } from './attachments-write.ts';
import type { WorkerApi } from './worker-api.ts';

/** Where a task's images were written, in order: relative to the workspace (POSIX) and absolute. */
export type ImageFiles = { relative: string[]; absolute: string[] };

export type AttachmentDeps = {
  api: Pick<WorkerApi, 'attachmentBytes' | 'attachmentReceived'>;
  log: (line: string) => void;
};

/** Why an image's bytes do not match its envelope, or null when they do. */
export function mismatch(view: AttachmentView, bytes: Uint8Array): string | null {
  if (bytes.length > MAX_ATTACHMENT_BYTES) return `it is over ${MAX_ATTACHMENT_BYTES} bytes`;
  if (bytes.length !== view.bytes) return `it is ${bytes.length} bytes, not the ${view.bytes} announced`;
  if (createHash('sha256').update(bytes).digest('hex') !== view.sha256) return 'its SHA-256 does not match';
  const type = sniffImageType(bytes);
  if (type !== view.mediaType) return `its bytes are ${type ?? 'not an image'}, not ${view.mediaType}`;
  return null;
}

/**
 * Receive `task`'s images into `workspace` as `.hearth/attachments/<taskId>/<n>.<ext>` (n from 1, in the task's
 * order; the phone's file name is never a path). Every image is downloaded and checked before the workspace is
 * touched; the directory is then checked, made and written with no network wait in between, so nothing in the
 * workspace can be swapped between its checks and the writes while we wait on the Worker. All or nothing: on any
 * failure what was written is removed and an AgentError is thrown (`attachment-invalid` for a bad image or an unsafe
 * path, else the Worker's or `network`). A failed receipt confirmation is only logged: the image is at home, and the
 * Worker drops bytes of ended tasks.
 */
export async function receiveAttachments(deps: AttachmentDeps, task: { id: string; attachments?: AttachmentView[] | undefined }, workspace: string): Promise<ImageFiles> {
  const views = task.attachments ?? [];
  if (views.length === 0) return { relative: [], absolute: [] };
  const images: Array<{ name: string; bytes: Uint8Array }> = [];
  for (const [i, view] of views.entries()) {
    const what = `attached image ${i + 1} (${view.name})`;
    let bytes: Uint8Array;
    try {
      bytes = await deps.api.attachmentBytes(view.id, MAX_ATTACHMENT_BYTES);
    } catch (error) {
      throw error instanceof AgentError ? new AgentError(error.code, `${what}: ${error.message}`, { cause: error, status: error.status }) : error;
    }
    const wrong = mismatch(view, bytes);
    if (wrong !== null) throw new AgentError('attachment-invalid', `${what}: ${wrong}; it was not written`);
    images.push({ name: `${i + 1}.${IMAGE_EXTENSIONS[view.mediaType]}`, bytes });
  }
  // From here to the last write: synchronous file system calls only.
  const dir = prepareAttachmentsDir(workspace, task.id);
  const files: ImageFiles = { relative: [], absolute: [] };
  try {
    for (const { name, bytes } of images) {
      writeNewFile(join(dir, name), bytes);
      files.relative.push(`${attachmentsDirOf(task.id)}/${name}`);
      files.absolute.push(join(dir, name));
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (const view of views) {
    await deps.api.attachmentReceived(view.id).catch((error: unknown) => deps.log(`task ${task.id}: could not confirm image ${view.id}: ${errorLine(error)}`));
  }
  return files;
}

/** The prompt an AI CLI gets: the owner's, then one `Attached image: <relative path>` line per image. Shell: unchanged. */
export function promptWithAttachments(prompt: string, backend: Backend, files: ImageFiles): string {
  if (backend === 'shell' || files.relative.length === 0) return prompt;
  return `${prompt}\n\n${files.relative.map((path) => `Attached image: ${path}`).join('\n')}`;
}

/**
 * The paths a shell task gets in HEARTH_ATTACHMENTS (absolute, in order; task-launch.ts's wrapper exports them one a
 * line, its command untouched); none for the AI CLIs, which read them in their prompt.
 */
export function shellAttachmentPaths(backend: Backend, files: ImageFiles): string[] {
  return backend === 'shell' ? files.absolute : [];
}
