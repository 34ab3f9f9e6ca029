import { describe, expect, it } from 'vitest';
import type { PaneFrame, RowPatch } from '../protocol/index.ts';
import { decidePane, snapshotFrame, type Screen } from './screen.ts';

const TASK = '3f1c6a52-8d0e-4f3b-9a51-6f0a2b9c7d10';
const frame = (seq: number, full: boolean, rows: RowPatch[], height = 3, width = 10): PaneFrame => ({
  type: 'pane',
  taskId: TASK,
  seq,
  body: { full, width, height, rows },
});
const screen: Screen = { seq: 5, width: 10, height: 3, rows: ['a', 'b', 'c'] };

describe('decidePane', () => {
  const cases: [string, Screen | undefined, PaneFrame, ReturnType<typeof decidePane>][] = [
    ['same seq is a duplicate', screen, frame(5, false, [[0, 'x']]), { kind: 'duplicate' }],
    ['older seq is a duplicate', screen, frame(2, true, []), { kind: 'duplicate' }],
    ['next patch applies', screen, frame(6, false, [[1, 'B']]), { kind: 'apply', screen: { ...screen, seq: 6, rows: ['a', 'B', 'c'] } }],
    ['patch after a gap', screen, frame(8, false, [[1, 'B']]), { kind: 'gap', expected: 6 }],
    ['patch with no screen yet', undefined, frame(1, false, [[0, 'x']]), { kind: 'gap', expected: null }],
    ['snapshot with no screen', undefined, frame(9, true, [[0, 'x'], [1, 'y'], [2, 'z']]), { kind: 'apply', screen: { seq: 9, width: 10, height: 3, rows: ['x', 'y', 'z'] } }],
    ['snapshot across a gap replaces', screen, frame(40, true, [[0, 'n']], 2, 4), { kind: 'apply', screen: { seq: 40, width: 4, height: 2, rows: ['n', ''] } }],
    ['patch that grows the pane pads blank rows', screen, frame(6, false, [[3, 'd']], 5), { kind: 'apply', screen: { seq: 6, width: 10, height: 5, rows: ['a', 'b', 'c', 'd', ''] } }],
    ['patch that shrinks the pane drops rows past height', screen, frame(6, false, [[2, 'gone']], 2), { kind: 'apply', screen: { seq: 6, width: 10, height: 2, rows: ['a', 'b'] } }],
  ];
  it.each(cases)('%s', (_name, before, incoming, expected) => {
    expect(decidePane(before, incoming)).toEqual(expected);
  });

  it('never mutates the screen it was given', () => {
    const before = structuredClone(screen);
    decidePane(screen, frame(6, false, [[0, 'changed']]));
    expect(screen).toEqual(before);
  });
});

describe('snapshotFrame', () => {
  it('lists every row with its index at the screen seq', () => {
    expect(snapshotFrame(TASK, screen)).toEqual(frame(5, true, [[0, 'a'], [1, 'b'], [2, 'c']]));
  });
});
