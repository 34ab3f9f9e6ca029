import { describe, expect, it } from 'vitest';
import { diffScreens, snapshotBody, type Screen } from './pane-diff.ts';

const screen = (rows: string[], width = 80): Screen => ({ width, height: rows.length, rows });

describe('diffScreens', () => {
  it('sends a full snapshot first', () => {
    expect(diffScreens(null, screen(['a', '']))).toEqual({ full: true, width: 80, height: 2, rows: [[0, 'a'], [1, '']] });
  });

  it('sends only the rows that changed', () => {
    const body = diffScreens(screen(['a', 'b', 'c']), screen(['a', 'B', 'c']));
    expect(body).toEqual({ full: false, width: 80, height: 3, rows: [[1, 'B']] });
  });

  it('sends a row that became empty', () => {
    expect(diffScreens(screen(['a', 'b']), screen(['a', '']))?.rows).toEqual([[1, '']]);
  });

  it('sends nothing for an identical screen', () => {
    expect(diffScreens(screen(['a', 'b']), screen(['a', 'b']))).toBeNull();
  });

  it('sends a full snapshot when the height changes', () => {
    const body = diffScreens(screen(['a', 'b']), screen(['a', 'b', 'c']));
    expect(body?.full).toBe(true);
    expect(body?.rows).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
  });

  it('sends a full snapshot when the width changes', () => {
    expect(diffScreens(screen(['a'], 80), screen(['a'], 100))?.full).toBe(true);
  });
});

describe('snapshotBody', () => {
  it('lists every row', () => {
    expect(snapshotBody(screen(['x', 'y'])).rows).toEqual([[0, 'x'], [1, 'y']]);
  });
});
