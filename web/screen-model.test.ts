// Table tests for the pure screen model: snapshots replace, patches apply in order, duplicates drop, gaps ask.
import { describe, expect, it } from 'vitest';
import { PaneFrame } from '../protocol/index.ts';
import { applyFrame, type ApplyResult, type Screen } from './screen-model.ts';

const TASK = '6f1c2a7e-3b4d-4c5e-8f90-123456789abc';

/** A frame as it arrives over the wire, parsed with the protocol schema so the table cannot drift from it. */
function frame(seq: number, full: boolean, height: number, rows: Array<[number, string]>, width = 80) {
  return PaneFrame.parse({ type: 'pane', taskId: TASK, seq, body: { full, width, height, rows } });
}

const screen = (seq: number, rows: string[], width = 80): Screen => ({ seq, width, height: rows.length, rows });

type Row = { name: string; before: Screen | null; frame: ReturnType<typeof frame>; expected: ApplyResult };

const table: Row[] = [
  {
    name: 'snapshot onto nothing replaces',
    before: null,
    frame: frame(1, true, 3, [[0, 'a'], [1, 'b'], [2, 'c']]),
    expected: { kind: 'applied', screen: screen(1, ['a', 'b', 'c']) },
  },
  {
    name: 'snapshot fills rows it does not list with empty text',
    before: null,
    frame: frame(4, true, 3, [[1, 'mid']]),
    expected: { kind: 'applied', screen: screen(4, ['', 'mid', '']) },
  },
  {
    name: 'newer snapshot replaces the whole screen, size included',
    before: screen(2, ['old', 'old', 'old']),
    frame: frame(9, true, 2, [[0, 'new'], [1, 'er']], 40),
    expected: { kind: 'applied', screen: screen(9, ['new', 'er'], 40) },
  },
  {
    name: 'snapshot at the same seq is a duplicate',
    before: screen(5, ['x']),
    frame: frame(5, true, 1, [[0, 'y']]),
    expected: { kind: 'duplicate' },
  },
  {
    name: 'patch with seq = last + 1 applies only its rows',
    before: screen(1, ['a', 'b', 'c']),
    frame: frame(2, false, 3, [[1, 'B']]),
    expected: { kind: 'applied', screen: screen(2, ['a', 'B', 'c']) },
  },
  {
    name: 'patch may grow the screen; new rows start empty',
    before: screen(1, ['a']),
    frame: frame(2, false, 3, [[2, 'z']]),
    expected: { kind: 'applied', screen: screen(2, ['a', '', 'z']) },
  },
  {
    name: 'patch may shrink the screen; rows at or past height are dropped',
    before: screen(1, ['a', 'b', 'c']),
    frame: frame(2, false, 2, [[0, 'A'], [2, 'gone']]),
    expected: { kind: 'applied', screen: screen(2, ['A', 'b']) },
  },
  {
    name: 'patch with an old seq is a duplicate',
    before: screen(7, ['a']),
    frame: frame(6, false, 1, [[0, 'stale']]),
    expected: { kind: 'duplicate' },
  },
  {
    name: 'patch with the same seq is a duplicate',
    before: screen(7, ['a']),
    frame: frame(7, false, 1, [[0, 'again']]),
    expected: { kind: 'duplicate' },
  },
  {
    name: 'patch after a gap needs a snapshot',
    before: screen(7, ['a']),
    frame: frame(9, false, 1, [[0, 'skipped 8']]),
    expected: { kind: 'need-snapshot' },
  },
  {
    name: 'patch with no screen yet needs a snapshot',
    before: null,
    frame: frame(1, false, 1, [[0, 'a']]),
    expected: { kind: 'need-snapshot' },
  },
];

describe('applyFrame', () => {
  it.each(table)('$name', ({ before, frame: f, expected }) => {
    expect(applyFrame(before, f)).toEqual(expected);
  });

  it('never mutates the screen it was given', () => {
    const before = screen(1, ['a', 'b']);
    const copy = structuredClone(before);
    applyFrame(before, frame(2, false, 2, [[0, 'changed']]));
    expect(before).toEqual(copy);
  });

  it('keeps pane rows as plain text (markup is not interpreted)', () => {
    const result = applyFrame(null, frame(1, true, 1, [[0, '<img src=x onerror=alert(1)>']]));
    expect(result).toEqual({ kind: 'applied', screen: screen(1, ['<img src=x onerror=alert(1)>']) });
  });

  it('a stream of in-order patches equals the final snapshot', () => {
    let current: Screen | null = null;
    const frames = [
      frame(1, true, 2, [[0, '$ ls'], [1, '']]),
      frame(2, false, 2, [[1, 'a.txt']]),
      frame(2, false, 2, [[1, 'duplicate must not apply']]),
      frame(3, false, 3, [[2, '$']]),
    ];
    for (const f of frames) {
      const r = applyFrame(current, f);
      if (r.kind === 'applied') current = r.screen;
    }
    expect(current).toEqual(screen(3, ['$ ls', 'a.txt', '$']));
  });
});
