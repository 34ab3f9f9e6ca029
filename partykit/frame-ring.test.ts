import { describe, expect, it } from 'vitest';
import { emptyRing, framesAfter, pushFrame, type FrameRing, type RingFrame } from './frame-ring.ts';

const f = (seq: number, full = false, size = 10): RingFrame => ({ seq, full, json: 'x'.repeat(size) });
const ringOf = (...frames: RingFrame[]): FrameRing => {
  const ring = emptyRing();
  for (const frame of frames) pushFrame(ring, frame, { maxFrames: 100, maxChars: 10_000 });
  return ring;
};

describe('pushFrame', () => {
  it('evicts the oldest past the frame count', () => {
    const ring = emptyRing();
    for (let seq = 1; seq <= 5; seq++) pushFrame(ring, f(seq), { maxFrames: 3, maxChars: 1000 });
    expect(ring.frames.map((x) => x.seq)).toEqual([3, 4, 5]);
    expect(ring.chars).toBe(30);
  });
  it('evicts the oldest past the character budget but keeps the newest', () => {
    const ring = emptyRing();
    pushFrame(ring, f(1, false, 60), { maxFrames: 10, maxChars: 100 });
    pushFrame(ring, f(2, false, 60), { maxFrames: 10, maxChars: 100 });
    expect(ring.frames.map((x) => x.seq)).toEqual([2]);
    pushFrame(ring, f(3, false, 500), { maxFrames: 10, maxChars: 100 });
    expect(ring.frames.map((x) => x.seq)).toEqual([3]);
  });
});

describe('framesAfter', () => {
  const cases: [string, FrameRing, number, number[] | null][] = [
    ['replays what follows', ringOf(f(3), f(4), f(5), f(6)), 4, [5, 6]],
    ['nothing newer', ringOf(f(3), f(4)), 4, []],
    ['evicted past lastSeq', ringOf(f(10), f(11)), 4, null],
    ['a snapshot bridges the gap', ringOf(f(9, true), f(10)), 4, [9, 10]],
    ['lastSeq just before the oldest patch', ringOf(f(5), f(6)), 4, [5, 6]],
  ];
  it.each(cases)('%s', (_name, ring, lastSeq, seqs) => {
    const frames = framesAfter(ring, lastSeq);
    expect(frames === null ? null : frames.map((x) => x.seq)).toEqual(seqs);
  });
});
