import { describe, expect, it } from 'vitest';
import { emptyRing, pushFrame, type RingFrame } from './frame-ring.ts';
import { decideResume } from './resume.ts';
import type { TaskEntry } from './task-cache.ts';

const entry = (...frames: [number, boolean][]): TaskEntry => {
  const ring = emptyRing();
  for (const [seq, full] of frames) pushFrame(ring, { seq, full, json: `{"seq":${seq}}` });
  const last = frames.at(-1)?.[0] ?? 1;
  return { screen: { seq: last, width: 80, height: 2, rows: ['', ''] }, ring };
};
const seqs = (frames: RingFrame[]): number[] => frames.map((f) => f.seq);

describe('decideResume', () => {
  const live = entry([4, true], [5, false], [6, false], [7, false]);
  const cases: [string, TaskEntry | undefined, number | undefined, string, number[]?][] = [
    ['no screen in the room: ask the agents', undefined, 3, 'ask-agents'],
    ['no screen and no lastSeq: ask the agents', undefined, undefined, 'ask-agents'],
    ['no lastSeq: snapshot', live, undefined, 'snapshot'],
    ['lastSeq is current: nothing', live, 7, 'up-to-date'],
    ['lastSeq in the ring: replay newer only', live, 5, 'replay', [6, 7]],
    ['lastSeq before the ring snapshot: replay from it', live, 2, 'replay', [4, 5, 6, 7]],
    ['lastSeq ahead of the room: snapshot', live, 9, 'snapshot'],
    ['lastSeq older than the ring: snapshot', entry([20, false], [21, false]), 3, 'snapshot'],
  ];
  it.each(cases)('%s', (_name, e, lastSeq, kind, replayed) => {
    const decision = decideResume(e, lastSeq);
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'replay') expect(seqs(decision.frames)).toEqual(replayed);
  });
});
