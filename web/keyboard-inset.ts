// Keeps the bottom input bar above the on-screen keyboard: mirrors the visual viewport (what the keyboard leaves
// visible) into the CSS variable --keyboard-inset. Reads window geometry only; owns no other state.

/** The visible part of the page, in CSS px: `window.visualViewport`'s height and offsetTop. */
export type ViewportBox = { height: number; offsetTop: number };

/**
 * How many CSS px of the layout viewport (`layoutHeight`, i.e. `innerHeight`) the keyboard covers at the bottom:
 * `layoutHeight − (height + offsetTop)`, never negative, rounded. Where the browser shrinks the layout viewport itself
 * (Chrome on Android with `interactive-widget=resizes-content`) this is 0.
 */
export function keyboardInset(layoutHeight: number, visual: ViewportBox): number {
  return Math.max(0, Math.round(layoutHeight - (visual.height + visual.offsetTop)));
}

/**
 * Track the keyboard in `win`: set `--keyboard-inset: <n>px` on the root element whenever the visual viewport moves
 * or resizes, and `data-keyboard="open"` while it covers more than 80 px. Without visualViewport (old browsers)
 * nothing is set and the CSS default (0px) applies.
 */
export function trackKeyboardInset(win: Window): void {
  const visual = win.visualViewport;
  if (!visual) return;
  const root = win.document.documentElement;
  let last = -1;
  const update = (): void => {
    const inset = keyboardInset(win.innerHeight, visual);
    if (inset === last) return;
    last = inset;
    root.style.setProperty('--keyboard-inset', `${inset}px`);
    root.dataset.keyboard = inset > 80 ? 'open' : 'closed';
  };
  visual.addEventListener('resize', update);
  visual.addEventListener('scroll', update);
  update();
}
