import { describe, expect, it } from 'vitest';
import { keyboardInset } from './keyboard-inset.ts';

describe('keyboardInset', () => {
  it.each([
    { name: 'no keyboard', layout: 844, height: 844, offsetTop: 0, inset: 0 },
    { name: 'iOS keyboard over a fixed layout viewport', layout: 844, height: 508, offsetTop: 0, inset: 336 },
    { name: 'the visual viewport scrolled down within the layout one', layout: 844, height: 508, offsetTop: 120, inset: 216 },
    { name: 'layout viewport already resized (Android resizes-content)', layout: 508, height: 508, offsetTop: 0, inset: 0 },
    { name: 'pinch zoom larger than the layout never goes negative', layout: 844, height: 900, offsetTop: 10, inset: 0 },
    { name: 'fractional sizes round', layout: 844, height: 507.6, offsetTop: 0, inset: 336 },
  ])('$name → $inset px', ({ layout, height, offsetTop, inset }) => {
    expect(keyboardInset(layout, { height, offsetTop })).toBe(inset);
  });
});
