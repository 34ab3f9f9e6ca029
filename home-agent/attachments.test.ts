import { createHash, randomUUID } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, type AttachmentView } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';
import { promptWithAttachments, receiveAttachments, shellAttachmentPaths, type AttachmentDeps } from './attachments.ts';
import { createWorkerApi } from './worker-api.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

let root: string;
let workspace: string;
const taskId = randomUUID();

/** An envelope for `bytes` as the Worker would send it (`over` changes a field to lie about them). */
function envelope(bytes: Buffer, mediaType: AttachmentView['mediaType'], over: Partial<AttachmentView> = {}): AttachmentView {
  return {
    id: randomUUID(),
    taskId,
    name: '../../../etc/passwd',
    mediaType,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    createdAt: 1,
    receivedAt: null,
    ...over,
  };
}

/** A stand-in Worker holding `served` (id → bytes); records downloads, receipts and log lines. */
function fakeWorker(served: Map<string, Buffer>, opts: { receiptFails?: boolean; onDownload?: () => void } = {}) {
  const fetched: string[] = [];
  const confirmed: string[] = [];
  const logs: string[] = [];
  const deps: AttachmentDeps = {
    api: {
      attachmentBytes: async (id) => {
        fetched.push(id);
        opts.onDownload?.();
        const bytes = served.get(id);
        if (!bytes) throw new AgentError('not-found', 'GET: Not found', { status: 404 });
        return new Uint8Array(bytes);
      },
      attachmentReceived: async (id) => {
        if (opts.receiptFails) throw new AgentError('network', 'cannot reach the Worker');
        confirmed.push(id);
        return { ...envelope(served.get(id) ?? PNG, 'image/png'), id, receivedAt: 2 };
      },
    },
    log: (line) => logs.push(line),
  };
  return { deps, fetched, confirmed, logs };
}

/** The AgentError `run` rejects with. */
async function failure(run: Promise<unknown>): Promise<AgentError> {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hearth-attach-'));
  workspace = join(root, 'repo');
  mkdirSync(workspace);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('receiveAttachments', () => {
  it('writes each image as <n>.<ext> (0600, dirs 0700) with .hearth/.gitignore, then confirms receipt', async () => {
    const [png, jpeg] = [envelope(PNG, 'image/png'), envelope(JPEG, 'image/jpeg')];
    const worker = fakeWorker(new Map([[png.id, PNG], [jpeg.id, JPEG]]));
    const files = await receiveAttachments(worker.deps, { id: taskId, attachments: [png, jpeg] }, workspace);
    const dir = join(workspace, '.hearth', 'attachments', taskId);
    expect(files).toEqual({
      relative: [`.hearth/attachments/${taskId}/1.png`, `.hearth/attachments/${taskId}/2.jpg`],
      absolute: [join(dir, '1.png'), join(dir, '2.jpg')],
    });
    expect(readFileSync(join(dir, '1.png')).equals(PNG)).toBe(true);
    expect(readFileSync(join(dir, '2.jpg')).equals(JPEG)).toBe(true);
    for (const file of files.absolute) expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const d of [join(workspace, '.hearth'), join(workspace, '.hearth', 'attachments'), dir]) expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(workspace, '.hearth', '.gitignore'), 'utf8')).toBe('*\n');
    expect(readdirSync(dir).sort()).toEqual(['1.png', '2.jpg']); // the phone's name never became a path
    expect(worker.confirmed).toEqual([png.id, jpeg.id]);
  });

  it('keeps the images out of git: a repository sees nothing new', async () => {
    await execa('git', ['init', '-q', workspace]);
    const png = envelope(PNG, 'image/png');
    await receiveAttachments(fakeWorker(new Map([[png.id, PNG]])).deps, { id: taskId, attachments: [png] }, workspace);
    expect((await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: workspace })).stdout).toBe('');
  });

  it('does nothing for a task without images', async () => {
    const worker = fakeWorker(new Map());
    expect(await receiveAttachments(worker.deps, { id: taskId }, workspace)).toEqual({ relative: [], absolute: [] });
    expect(existsSync(join(workspace, '.hearth'))).toBe(false);
  });

  it.each([
    ['.hearth', () => symlinkSync(join(root, 'elsewhere'), join(workspace, '.hearth'))],
    ['.hearth/attachments', () => {
      mkdirSync(join(workspace, '.hearth'));
      symlinkSync(join(root, 'elsewhere'), join(workspace, '.hearth', 'attachments'));
    }],
    ['.hearth/.gitignore', () => {
      mkdirSync(join(workspace, '.hearth'));
      symlinkSync(join(root, 'elsewhere', 'victim'), join(workspace, '.hearth', '.gitignore'));
    }],
  ])('refuses a symlink at %s and writes nothing through it', async (where, plant) => {
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'elsewhere', 'victim'), 'keep me');
    plant();
    const png = envelope(PNG, 'image/png');
    const worker = fakeWorker(new Map([[png.id, PNG]]));
    const error = await failure(receiveAttachments(worker.deps, { id: taskId, attachments: [png] }, workspace));
    expect(error.code).toBe('attachment-invalid');
    expect(error.message).toContain(`${where} in the workspace is a symlink`);
    expect(readdirSync(join(root, 'elsewhere'))).toEqual(['victim']);
    expect(readFileSync(join(root, 'elsewhere', 'victim'), 'utf8')).toBe('keep me');
    expect(worker.confirmed).toEqual([]);
  });

  it('downloads and checks every image before it touches the workspace, so no network wait falls between its checks and writes', async () => {
    const images = [envelope(PNG, 'image/png'), envelope(JPEG, 'image/jpeg'), envelope(PNG, 'image/png')];
    const seen: boolean[] = [];
    const worker = fakeWorker(new Map(images.map((v, i) => [v.id, i === 1 ? JPEG : PNG])), {
      onDownload: () => seen.push(existsSync(join(workspace, '.hearth'))),
    });
    const files = await receiveAttachments(worker.deps, { id: taskId, attachments: images }, workspace);
    expect(worker.fetched).toEqual(images.map((v) => v.id));
    expect(seen).toEqual([false, false, false]);
    expect(files.absolute.map((f) => readFileSync(f).length)).toEqual([PNG.length, JPEG.length, PNG.length]);
  });

  it('a bad last image leaves the workspace untouched: nothing was made there', async () => {
    const good = envelope(PNG, 'image/png');
    const bad = { ...envelope(JPEG, 'image/jpeg'), sha256: 'f'.repeat(64) };
    const worker = fakeWorker(new Map([[good.id, PNG], [bad.id, JPEG]]));
    const error = await failure(receiveAttachments(worker.deps, { id: taskId, attachments: [good, bad] }, workspace));
    expect(error.code).toBe('attachment-invalid');
    expect(existsSync(join(workspace, '.hearth'))).toBe(false);
  });

  it('replaces a .gitignore hard-linked to another file without touching that file', async () => {
    mkdirSync(join(workspace, '.hearth'));
    writeFileSync(join(root, 'precious'), 'do not truncate');
    linkSync(join(root, 'precious'), join(workspace, '.hearth', '.gitignore'));
    const png = envelope(PNG, 'image/png');
    await receiveAttachments(fakeWorker(new Map([[png.id, PNG]])).deps, { id: taskId, attachments: [png] }, workspace);
    expect(readFileSync(join(root, 'precious'), 'utf8')).toBe('do not truncate');
    expect(readFileSync(join(workspace, '.hearth', '.gitignore'), 'utf8')).toBe('*\n');
    expect(lstatSync(join(workspace, '.hearth', '.gitignore')).nlink).toBe(1);
  });

  it.each([
    ['a SHA-256 that does not match', (png: AttachmentView) => ({ ...png, sha256: 'f'.repeat(64) }), /SHA-256 does not match/],
    ['a size other than announced', (png: AttachmentView) => ({ ...png, bytes: png.bytes + 1 }), /not the \d+ announced/],
    ['bytes of another type', (png: AttachmentView) => ({ ...png, mediaType: 'image/gif' as const }), /bytes are image\/png, not image\/gif/],
  ])('refuses %s before touching the workspace and confirms nothing', async (_what, lie, message) => {
    const good = envelope(JPEG, 'image/jpeg');
    const png = envelope(PNG, 'image/png');
    const bad = lie(png);
    const worker = fakeWorker(new Map([[good.id, JPEG], [png.id, PNG]]));
    const error = await failure(receiveAttachments(worker.deps, { id: taskId, attachments: [good, bad] }, workspace));
    expect(error.code).toBe('attachment-invalid');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^attached image 2 /);
    expect(existsSync(join(workspace, '.hearth'))).toBe(false);
    expect(worker.confirmed).toEqual([]);
  });

  it('fails with the Worker\'s code when an image cannot be fetched (e.g. already received: 410)', async () => {
    const png = envelope(PNG, 'image/png');
    const error = await failure(receiveAttachments(fakeWorker(new Map()).deps, { id: taskId, attachments: [png] }, workspace));
    expect(error.code).toBe('not-found');
    expect(error.message).toMatch(/^attached image 1 \(\.\.\/\.\.\/\.\.\/etc\/passwd\): /);
  });

  it('refuses a task whose image directory already exists', async () => {
    mkdirSync(join(workspace, '.hearth', 'attachments', taskId), { recursive: true });
    const png = envelope(PNG, 'image/png');
    const worker = fakeWorker(new Map([[png.id, PNG]]));
    const error = await failure(receiveAttachments(worker.deps, { id: taskId, attachments: [png] }, workspace));
    expect(error.code).toBe('attachment-invalid');
    expect(error.message).toContain('already exists');
    expect(readdirSync(join(workspace, '.hearth', 'attachments', taskId))).toEqual([]);
    expect(worker.confirmed).toEqual([]);
  });

  it('only logs a receipt that could not be confirmed: the image is at home', async () => {
    const png = envelope(PNG, 'image/png');
    const worker = fakeWorker(new Map([[png.id, PNG]]), { receiptFails: true });
    const files = await receiveAttachments(worker.deps, { id: taskId, attachments: [png] }, workspace);
    expect(readFileSync(files.absolute[0]!).equals(PNG)).toBe(true);
    expect(worker.logs.join('\n')).toContain(`could not confirm image ${png.id}`);
  });
});

describe('the download', () => {
  it('stops reading past MAX_ATTACHMENT_BYTES', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 256 * 1024;
        controller.enqueue(new Uint8Array(256 * 1024));
      },
    });
    const api = createWorkerApi({ server: 'http://worker.invalid', token: 't', fetch: async () => new Response(body, { status: 200 }) });
    const error = await failure(api.attachmentBytes(randomUUID(), MAX_ATTACHMENT_BYTES));
    expect(error.code).toBe('attachment-invalid');
    expect(pulled).toBeLessThan(MAX_ATTACHMENT_BYTES + 1024 * 1024);
  });

  it('sends the bearer and returns the bytes', async () => {
    let auth: string | null = null;
    const api = createWorkerApi({
      server: 'http://worker.invalid',
      token: 'secret-token',
      fetch: async (_url, init) => {
        auth = new Headers(init?.headers).get('authorization');
        return new Response(PNG, { status: 200, headers: { 'content-type': 'image/png' } });
      },
    });
    expect(Buffer.from(await api.attachmentBytes(randomUUID(), MAX_ATTACHMENT_BYTES)).equals(PNG)).toBe(true);
    expect(auth).toBe('Bearer secret-token');
  });
});

describe('the hand-off to the CLI', () => {
  const files = { relative: ['.hearth/attachments/t/1.png', '.hearth/attachments/t/2.jpg'], absolute: ['/w/.hearth/attachments/t/1.png', '/w/.hearth/attachments/t/2.jpg'] };

  it('appends one line per image to an AI CLI\'s prompt and gives it no HEARTH_ATTACHMENTS', () => {
    expect(promptWithAttachments('fix the layout', 'claude', files)).toBe(
      'fix the layout\n\nAttached image: .hearth/attachments/t/1.png\nAttached image: .hearth/attachments/t/2.jpg',
    );
    expect(shellAttachmentPaths('claude', files)).toEqual([]);
  });

  it('leaves a shell command as it is and gives it the absolute paths', () => {
    expect(promptWithAttachments('ls -l', 'shell', files)).toBe('ls -l');
    expect(shellAttachmentPaths('shell', files)).toEqual(files.absolute);
  });

  it('changes nothing without images', () => {
    const none = { relative: [], absolute: [] };
    expect(promptWithAttachments('hi', 'codex', none)).toBe('hi');
    expect(shellAttachmentPaths('shell', none)).toEqual([]);
  });
});
