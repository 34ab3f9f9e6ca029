import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../protocol/index.ts';
import { bytesToBase64 } from './attach-base64.ts';
import { attachmentName, describeBytes, fitWithin, planImage } from './attach-plan.ts';

describe('planImage', () => {
  it.each([
    ['a small PNG', { sniffed: 'image/png', size: 200_000, width: 800, height: 600 }, { kind: 'send', mediaType: 'image/png' }],
    ['a JPEG at the limit', { sniffed: 'image/jpeg', size: MAX_ATTACHMENT_BYTES, width: 2048, height: 1536 }, { kind: 'send', mediaType: 'image/jpeg' }],
    ['a WebP named by its bytes', { sniffed: 'image/webp', size: 10, width: 1, height: 1 }, { kind: 'send', mediaType: 'image/webp' }],
    ['a photo over the limit', { sniffed: 'image/jpeg', size: MAX_ATTACHMENT_BYTES + 1, width: 1600, height: 1200 }, { kind: 'reencode', width: 1600, height: 1200 }],
    ['a photo too large in pixels', { sniffed: 'image/jpeg', size: 900_000, width: 4032, height: 3024 }, { kind: 'reencode', width: 2048, height: 1536 }],
    ['a portrait photo', { sniffed: 'image/png', size: 900_000, width: 3024, height: 4032 }, { kind: 'reencode', width: 1536, height: 2048 }],
    ['another format the browser decoded (HEIC)', { sniffed: null, size: 100_000, width: 640, height: 480 }, { kind: 'reencode', width: 640, height: 480 }],
    ['a small GIF (never decoded)', { sniffed: 'image/gif', size: 500_000, width: null, height: null }, { kind: 'send', mediaType: 'image/gif' }],
  ] as const)('%s', (_name, image, plan) => expect(planImage(image)).toEqual(plan));

  it('refuses a GIF over the limit instead of flattening it', () => {
    const plan = planImage({ sniffed: 'image/gif', size: 3_200_000, width: null, height: null });
    expect(plan).toEqual({ kind: 'refuse', reason: 'Too big: this GIF is 3.2 MB; GIFs are sent as they are, up to 1.5 MB.' });
  });

  it('refuses an image without dimensions (it could not be decoded)', () => {
    expect(planImage({ sniffed: null, size: 10, width: null, height: null }).kind).toBe('refuse');
  });
});

describe('fitWithin', () => {
  it.each([
    [[4000, 3000, 2048], { width: 2048, height: 1536 }],
    [[100, 50, 2048], { width: 100, height: 50 }],
    [[10000, 1, 2048], { width: 2048, height: 1 }],
  ] as const)('%j → %j', ([w, h, max], fitted) => expect(fitWithin(w, h, max)).toEqual(fitted));
});

describe('describeBytes', () => {
  it.each([[999, '999 B'], [840_000, '840 KB'], [1_500_000, '1.5 MB'], [2_000_000, '2 MB']] as const)('%d → %s', (n, text) =>
    expect(describeBytes(n)).toBe(text),
  );
});

describe('attachmentName', () => {
  it.each([
    ['IMG_0042.HEIC', 'image/jpeg', 'IMG_0042.jpg'],
    ['screen shot.png', 'image/png', 'screen shot.png'],
    ['../../etc/passwd', 'image/png', '....etcpasswd.png'],
    ['\u0007', 'image/webp', 'image.webp'],
    ['', 'image/gif', 'image.gif'],
  ] as const)('%j as %s → %j', (original, type, name) => expect(attachmentName(original, type)).toBe(name));

  it('stays within 128 characters', () => {
    expect(attachmentName(`${'a'.repeat(300)}.jpeg`, 'image/jpeg')).toBe(`${'a'.repeat(124)}.jpg`);
  });
});

describe('bytesToBase64', () => {
  it('is standard padded base64', () => expect(bytesToBase64(new TextEncoder().encode('hearth!'))).toBe('aGVhcnRoIQ=='));

  it.each([0, 1, 2, 3, 4, 0x8000 - 1, 0x8000, 0x8000 * 3 + 2])('matches standard base64 for %d bytes', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    expect(bytesToBase64(bytes)).toBe(btoa(binary));
  });
});
