import { describe, expect, it } from 'vitest';
import { timingSafeEqualText } from './constant-time.ts';

describe('timingSafeEqualText', () => {
  it.each([
    ['same', 'secret-value', 'secret-value', true],
    ['differs at the end', 'secret-value', 'secret-valuf', false],
    ['prefix', 'secret-value', 'secret', false],
    ['longer', 'secret', 'secret-value', false],
    ['empty vs empty', '', '', true],
    ['empty vs secret', '', 'secret', false],
    ['unicode', 'sécret', 'sécret', true],
  ])('%s', (_name, a, b, equal) => {
    expect(timingSafeEqualText(a, b)).toBe(equal);
  });
});
