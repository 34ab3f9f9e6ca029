// The follow-the-tail decision and which pane rows are shown.
import { describe, expect, it } from 'vitest';
import { BOTTOM_SLACK_PX, isAtBottom, rowsToShow } from './follow-tail.ts';

describe('isAtBottom', () => {
  it.each<[number, boolean]>([
    [600, true],
    [600 - BOTTOM_SLACK_PX, true],
    [600 - BOTTOM_SLACK_PX - 1, false],
    [0, false],
  ])('scrollTop %d', (scrollTop, expected) => {
    expect(isAtBottom({ scrollTop, clientHeight: 400, scrollHeight: 1000 })).toBe(expected);
  });

  it('content shorter than the view is at the bottom', () => {
    expect(isAtBottom({ scrollTop: 0, clientHeight: 400, scrollHeight: 120 })).toBe(true);
  });
});

describe('rowsToShow', () => {
  it.each<[string[], string[]]>([
    [['a', 'b'], ['a', 'b']],
    [['a', '', 'b', '', '  ', ''], ['a', '', 'b']],
    [['', ''], []],
    [[], []],
  ])('%j → %j', (rows, expected) => expect(rowsToShow(rows)).toEqual(expected));
});
