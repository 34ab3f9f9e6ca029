// When the stale-pane note shows: from a link drop until the room's catch-up, only over a followed pane with a frame.
import { describe, expect, it } from 'vitest';
import { timeOfDay } from './live-note.ts';
import { createStalePane } from './stale-pane.ts';

const AT = new Date(2026, 10, 22, 14, 2, 11).getTime();

function pane() {
  const notes: string[] = [];
  const stale = createStalePane((note) => notes.push(note));
  return { stale, note: () => notes.at(-1) ?? '' };
}

describe('createStalePane', () => {
  it('shows the note from a drop until the catch-up, naming the state and the screen time', () => {
    const { stale, note } = pane();
    stale.connection({ state: 'connected' });
    stale.following(true);
    stale.applied(AT);
    expect(note()).toBe('Catching up — showing the screen as of 14:02:11'); // the first catch-up has not come yet
    stale.resumed();
    expect(note()).toBe('');
    stale.connection({ state: 'reconnecting', attempt: 1 });
    expect(note()).toBe(`Reconnecting — showing the screen as of ${timeOfDay(AT)}`);
    stale.connection({ state: 'offline' });
    expect(note()).toBe('Offline — showing the screen as of 14:02:11');
    stale.connection({ state: 'connected' });
    expect(note()).toBe('Catching up — showing the screen as of 14:02:11'); // welcomed, the replay not yet applied
    stale.applied(AT + 1_000);
    expect(note()).toBe('Catching up — showing the screen as of 14:02:12');
    stale.resumed();
    expect(note()).toBe('');
  });

  it('shows nothing without a frame or when the view does not follow a live pane', () => {
    const { stale, note } = pane();
    stale.connection({ state: 'offline' });
    stale.following(true);
    expect(note()).toBe(''); // no screen yet: the view says "Waiting for the screen…" instead
    stale.applied(AT);
    expect(note()).toMatch(/^Offline/);
    stale.following(false); // the task ended: its final screen is not live
    expect(note()).toBe('');
  });

  it('a task opened while the link is up is not stale; one opened while it is down is', () => {
    const { stale, note } = pane();
    stale.connection({ state: 'connected' });
    stale.reset();
    stale.following(true);
    stale.applied(AT);
    expect(note()).toBe('');
    stale.connection({ state: 'reconnecting', attempt: 2 });
    stale.reset();
    stale.applied(AT);
    expect(note()).toMatch(/^Reconnecting/);
  });
});
