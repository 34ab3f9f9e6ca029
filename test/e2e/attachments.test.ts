// Image attachments end to end, in headless Chromium at a phone viewport with touch: pick images through the composer's
// real "Attach image" button, run a shell task, and find them in the workspace at home — byte for byte (a small PNG)
// or re-encoded to fit (a PNG too large in pixels becomes a JPEG), 0600, out of git — with the command given their
// paths in HEARTH_ATTACHMENTS, and the Worker's copy of the bytes dropped once the agent has them.
import { hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sniffImageType } from '../../protocol/index.ts';
import { screenshotPath } from '../support/browser.ts';
import { openPhonePage, type PhonePage } from '../support/phone-page.ts';
import type { Stack } from '../support/stack.ts';
import { withD1 } from '../support/worker.ts';

let phone: PhonePage;
let stack: Stack;
let page: Page;

/** A truecolour PNG of `width`×`height` with a gradient (so a JPEG of it is a real photo-like encode). */
function pngOf(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, (x + y) % 256], y * row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Width and height from a JPEG's first SOF marker. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  for (let at = 2; at < bytes.length; ) {
    const marker = bytes[at + 1]!;
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  throw new Error('no SOF marker');
}

beforeAll(async () => {
  phone = await openPhonePage();
  ({ stack, page } = phone);
});

afterAll(async () => {
  await phone?.stop();
});

/** Tap "Attach image" and pick `files` in the chooser it opens (the camera-or-library sheet on a phone). */
async function attach(...files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.tap('#attach-image')]);
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(files);
}

const statusIs = (status: string) => page.waitForSelector(`#task-status[data-status="${status}"]`, { timeout: 60_000 });

test('attached images land in the workspace and the shell command gets their paths', async () => {
  const small = pngOf(64, 48);
  const wide = pngOf(3000, 1000);
  // Both buttons are real tap targets with names.
  for (const name of ['Attach image', 'Take photo']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
  }
  expect(await page.getAttribute('#photo-input', 'capture')).toBe('environment');

  await page.selectOption('#workspace', 'demo');
  await page.selectOption('#backend', 'shell');
  await page.fill('#prompt', `printf '%s' "$HEARTH_ATTACHMENTS"; echo; echo attach-done`);
  await attach({ name: 'receipt.png', mimeType: 'image/png', buffer: small }, { name: 'whiteboard.png', mimeType: 'image/png', buffer: wide });
  await page.waitForFunction(() => document.querySelectorAll('#attachment-list .attachment[data-state="done"]').length === 2, undefined, { timeout: 30_000 });
  expect(await page.locator('#attachment-list .attachment-name').allTextContents()).toEqual(['receipt.png', 'whiteboard.jpg']);
  // Thumbnails are object URLs the CSP allows (img-src blob:): both decoded.
  const thumbs = await page.locator('#attachment-list img.attachment-thumb').evaluateAll((imgs) => imgs.map((img) => [(img as HTMLImageElement).src.slice(0, 5), (img as HTMLImageElement).naturalWidth > 0]));
  expect(thumbs).toEqual([['blob:', true], ['blob:', true]]);
  await page.screenshot({ path: screenshotPath('attachments-picked') });

  const known = await page.locator('#tasks li[data-task-id]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-task-id')));
  await page.tap('#run');
  const created = await page.waitForFunction(
    (ids) => [...document.querySelectorAll('#tasks li[data-task-id]')].map((li) => li.getAttribute('data-task-id')).find((x) => x && !ids.includes(x)),
    known,
  );
  const id = (await created.jsonValue()) as string;
  await page.locator('#task-view').waitFor();
  expect(await page.locator('#attachment-list').isHidden()).toBe(true); // the composer is clear for the next task

  await statusIs('succeeded');
  const dir = join(stack.workspace, '.hearth', 'attachments', id);
  const paths = [join(dir, '1.png'), join(dir, '2.jpg')];
  await page.waitForFunction(() => /attach-done/.test(document.querySelector('#screen')?.textContent ?? ''));
  const screen = (await page.textContent('#screen')) ?? '';
  for (const path of paths) expect(screen).toContain(path);
  await page.screenshot({ path: screenshotPath('attachments-ran') });

  // The small PNG arrived byte for byte; the wide one as a JPEG scaled to 2048 px on its long side.
  expect(hash('sha256', readFileSync(paths[0]!))).toBe(hash('sha256', small));
  const jpeg = readFileSync(paths[1]!);
  expect(sniffImageType(jpeg)).toBe('image/jpeg');
  expect(jpegSize(jpeg)).toEqual({ width: 2048, height: 683 });
  for (const path of paths) expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect((await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: stack.workspace })).stdout).toBe('');

  // The envelopes say what arrived, and the Worker no longer holds the bytes.
  const task = await stack.fetchTask(id);
  expect(task.attachments?.map((a) => [a.name, a.mediaType, a.sha256])).toEqual([
    ['receipt.png', 'image/png', hash('sha256', small)],
    ['whiteboard.jpg', 'image/jpeg', hash('sha256', jpeg)],
  ]);
  expect(task.attachments?.every((a) => a.receivedAt !== null)).toBe(true);
  // The task view lists them as at home.
  await page.waitForFunction(() => document.querySelectorAll('#task-attachments li[data-received="true"]').length === 2);
  expect(await page.locator('#task-attachments li').allTextContents()).toEqual([
    expect.stringMatching(/^receipt\.png · \d+ (B|KB) · at home$/),
    expect.stringMatching(/^whiteboard\.jpg · [\d.]+ (KB|MB) · at home$/),
  ]);
  const stored = await withD1(stack.worker, (d1) => d1.prepare('SELECT data, received_at FROM attachments WHERE task_id = ?').all(id) as { data: Buffer | null; received_at: number | null }[]);
  expect(stored).toHaveLength(2);
  for (const row of stored) expect(row).toMatchObject({ data: null, received_at: expect.any(Number) });
});

test('a file that is not an image is refused on the phone with its reason, and can be removed', async () => {
  await page.goto(stack.origin);
  await page.locator('#workspace option[value="demo"]').waitFor({ state: 'attached' });
  const before = await withD1(stack.worker, (d1) => (d1.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n);
  await attach({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are notes, not pixels') });
  const failed = page.locator('#attachment-list .attachment[data-state="failed"]');
  await failed.waitFor();
  expect(await failed.locator('.attachment-state').textContent()).toMatch(/not an image/i);
  await page.fill('#prompt', 'echo fine');
  expect(await page.isEnabled('#run')).toBe(true); // a refused file does not hold the task back
  await page.screenshot({ path: screenshotPath('attachments-refused') });
  await page.getByRole('button', { name: 'Remove notes.png' }).tap();
  await page.locator('#attachment-list').waitFor({ state: 'hidden' });
  expect(await withD1(stack.worker, (d1) => (d1.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n)).toBe(before);
});
