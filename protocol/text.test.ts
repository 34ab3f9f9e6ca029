import { expect, test } from 'vitest';
import { isWellFormedUnicode, utf8ByteLength } from './text.ts';

test.each([
  ['', 0],
  ['a', 1],
  ['é', 2],
  ['€', 3],
  ['🔥', 4],
  ['a\ud800', 4],
])('utf8ByteLength(%j) = %d, as TextEncoder counts', (s, n) => {
  expect(utf8ByteLength(s)).toBe(n);
  expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
});

test.each([
  ['plain', true],
  ['🔥 pair', true],
  ['lone high \ud800', false],
  ['lone low \udc00 x', false],
  ['reversed \udc00\ud800', false],
])('isWellFormedUnicode(%j) = %s', (s, ok) => {
  expect(isWellFormedUnicode(s)).toBe(ok);
});
