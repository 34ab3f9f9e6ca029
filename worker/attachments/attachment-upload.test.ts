import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../protocol/index.ts';
import { ProblemError } from '../problem.ts';
import { checkUpload, decodeBase64, sha256Hex } from './attachment-upload.ts';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const b64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

/** The 400's detail, or the test fails. */
async function refusal(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(400);
    return (error as ProblemError).detail ?? '';
  }
  throw new Error('expected a 400');
}

describe('decodeBase64', () => {
  it.each([
    ['', []],
    ['AA==', [0]],
    ['AAE=', [0, 1]],
    ['AAEC', [0, 1, 2]],
  ])('%j → %j', (text, bytes) => expect([...decodeBase64(text)]).toEqual(bytes));

  it.each(['A', 'AA', 'AAE', 'A===', '=AAA', 'AA=A', 'AAAA=', 'AA==AA=='])('refuses %j', async (text) => {
    expect(await refusal(() => decodeBase64(text))).toMatch(/base64/);
  });
});

describe('checkUpload', () => {
  it('accepts bytes of the labelled type and hashes them', async () => {
    const checked = await checkUpload({ name: 'a.png', mediaType: 'image/png', data: b64(PNG) });
    expect([...checked.bytes]).toEqual([...PNG]);
    expect(checked.sha256).toBe(await sha256Hex(PNG));
    expect(checked.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses JPEG bytes labelled PNG, text bytes, empty and oversized images', async () => {
    expect(await refusal(() => checkUpload({ name: 'a.png', mediaType: 'image/png', data: b64(JPEG) }))).toBe(
      'the file is labelled PNG but its bytes are a JPEG image',
    );
    const text = new TextEncoder().encode('hello, not an image');
    expect(await refusal(() => checkUpload({ name: 'a.gif', mediaType: 'image/gif', data: b64(text) }))).toMatch(/not a PNG, JPEG, WebP or GIF/);
    expect(await refusal(() => checkUpload({ name: 'a.png', mediaType: 'image/png', data: '' }))).toBe('the image is empty');
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(PNG);
    expect(await refusal(() => checkUpload({ name: 'a.png', mediaType: 'image/png', data: b64(big) }))).toMatch(/at most 1500000/);
  });
});
