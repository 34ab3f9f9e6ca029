// Whether a live pane may be behind the room and the quiet note that says so (web/live-note.ts's wording): stale
// from the moment the room link is not live until the room's catch-up for the shown task has been applied. Keeps the
// link state and the time of the newest applied frame; the task view draws the note (#screen-stale) it is given.
import { staleNote } from './live-note.ts';
import type { RoomState, RoomStatus } from './room-client.ts';

export type StalePane = {
  /** The room link's state: anything but connected makes the pane stale until `resumed`. */
  connection(status: RoomStatus): void;
  /** The room's catch-up for the shown task has been applied: the pane is live again. */
  resumed(): void;
  /** A frame was applied to the pane at `atMs` (epoch ms). */
  applied(atMs: number): void;
  /** Another task (or none) is shown: forget the screen's time; stale unless the link is up. */
  reset(): void;
  /** Whether the view follows a live pane: the note shows only then, and once a frame was applied. */
  following(live: boolean): void;
};

/** Track one view's pane; `show(note)` gets the note's text after every change ('' when there is none). */
export function createStalePane(show: (note: string) => void): StalePane {
  let state: RoomState = 'connecting';
  let stale = true;
  let asOf: number | null = null;
  let live = false;
  const draw = (): void => show(stale && live && asOf !== null ? staleNote(state, asOf) : '');
  return {
    connection(status) {
      state = status.state;
      if (state !== 'connected') stale = true;
      draw();
    },
    resumed() {
      stale = false;
      draw();
    },
    applied(atMs) {
      asOf = atMs;
      draw();
    },
    reset() {
      asOf = null;
      stale = state !== 'connected';
      draw();
    },
    following(showsLive) {
      live = showsLive;
      draw();
    },
  };
}
