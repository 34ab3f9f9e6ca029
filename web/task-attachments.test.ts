import { describe, expect, it } from 'vitest';
import type { AttachmentView } from '../protocol/index.ts';
import { attachmentLine, formatBytes } from './task-attachments.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1 KB'],
    [14_499, '14 KB'],
    [999_499, '999 KB'],
    [1_000_000, '1.0 MB'],
    [1_500_000, '1.5 MB'],
  ])('%i → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('attachmentLine', () => {
  const base: AttachmentView = {
    id: '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11',
    taskId: '6f1c2d8e-4b1a-4c3e-9a53-3b7d1c0e5f21',
    name: 'receipt.png',
    mediaType: 'image/png',
    bytes: 14_200,
    sha256: 'a'.repeat(64),
    createdAt: 1,
    receivedAt: null,
  };
  it('says whether the home agent has the image yet', () => {
    expect(attachmentLine(base)).toBe('receipt.png · 14 KB · not at home yet');
    expect(attachmentLine({ ...base, receivedAt: 2 })).toBe('receipt.png · 14 KB · at home');
  });
});
