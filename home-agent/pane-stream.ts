// The pane stream of every running task (DESIGN.md §4): on a change notice, capture (≤ 1 per minIntervalMs per
// task), strip, diff against the last frame, number it with the next seq and keep it in the outbox until acked.
import type { PaneFrame } from '../protocol/index.ts';
import type { LocalState } from './local-state.ts';
import { diffScreens, snapshotBody, type Screen } from './pane-diff.ts';
import { captureScreen } from './pane-capture.ts';

export type PaneStreamDeps = {
  socket: string;
  state: LocalState;
  /** Send a frame to the room now; false when not connected (it stays in the outbox for the resend). */
  send: (frame: PaneFrame) => boolean;
  /** True while the room connection is up and welcomed. */
  isReady: () => boolean;
  report: (error: unknown) => void;
  /** Minimum time between two captures of one task, in ms (default 50: at most 20 frames/s). */
  minIntervalMs?: number;
  /** Unacked frames per task after which capturing pauses until acks arrive (default 100). */
  maxInFlight?: number;
  /** Every fresh capture's rows (the task runner reads AI CLIs' screens from them). */
  onScreen?: (taskId: string, rows: readonly string[]) => void;
};

type Stream = {
  paneId: string;
  last: Screen | null;
  lastCaptureAt: number;
  timer: NodeJS.Timeout | null;
  dirty: boolean;
  /** Captures of one task run one after another, so frames leave in capture order. */
  chain: Promise<unknown>;
  /** A snapshot queued on `chain` and not yet captured: later requests share it. */
  snapshotQueued: Promise<void> | null;
};

export type PaneStream = ReturnType<typeof createPaneStream>;

export function createPaneStream(deps: PaneStreamDeps) {
  const minInterval = deps.minIntervalMs ?? 50;
  const maxInFlight = deps.maxInFlight ?? 100;
  const streams = new Map<string, Stream>();

  function serial<T>(stream: Stream, job: () => Promise<T>): Promise<T> {
    const next = stream.chain.then(job);
    stream.chain = next.catch(() => undefined);
    return next;
  }

  /** Capture and enqueue one frame (a snapshot when `full`); returns the screen now held by receivers. */
  async function captureAndSend(taskId: string, stream: Stream, full: boolean): Promise<Screen | null> {
    const captured = await captureScreen(deps.socket, stream.paneId);
    if (streams.get(taskId) !== stream) return stream.last; // untracked meanwhile
    const screen = captured ?? stream.last;
    if (!screen) return null;
    if (captured) deps.onScreen?.(taskId, screen.rows);
    const body = full ? snapshotBody(screen) : diffScreens(stream.last, screen);
    stream.last = screen;
    if (body) deps.send(deps.state.enqueueFrame(taskId, body));
    return screen;
  }

  function schedule(taskId: string): void {
    const stream = streams.get(taskId);
    if (!stream) return;
    if (stream.timer) {
      stream.dirty = true;
      return;
    }
    const delay = Math.max(0, stream.lastCaptureAt + minInterval - Date.now());
    stream.timer = setTimeout(() => {
      stream.timer = null;
      if (!deps.isReady() || deps.state.outboxSize(taskId) >= maxInFlight) {
        stream.dirty = true; // picked up again on (re)connect or ack
        return;
      }
      stream.dirty = false;
      stream.lastCaptureAt = Date.now();
      serial(stream, () => captureAndSend(taskId, stream, false))
        .then(() => {
          if (stream.dirty && streams.get(taskId) === stream) schedule(taskId);
        })
        .catch(deps.report);
    }, delay);
  }

  return {
    /** Start streaming a task's pane; the first frame is a full snapshot. */
    track(taskId: string, paneId: string): void {
      if (streams.has(taskId)) return;
      streams.set(taskId, {
        paneId,
        last: null,
        lastCaptureAt: 0,
        timer: null,
        dirty: false,
        chain: Promise.resolve(),
        snapshotQueued: null,
      });
      schedule(taskId);
    },
    /** A pane printed something (control-mode %output). */
    onOutput(paneId: string): void {
      for (const [taskId, stream] of streams) if (stream.paneId === paneId) schedule(taskId);
    },
    /** The room acked frames up to `seq`. */
    ack(taskId: string, seq: number): void {
      deps.state.ack(taskId, seq);
      if (streams.get(taskId)?.dirty) schedule(taskId);
    },
    /** After a (re)connect: resend every unacked frame in order, then capture what changed meanwhile. */
    resume(): void {
      for (const frame of deps.state.outbox()) deps.send(frame);
      for (const taskId of streams.keys()) schedule(taskId);
    },
    /**
     * The room asked for a full screen: a fresh snapshot with the next seq. Requests that arrive before the
     * queued snapshot is captured share it (a fresh room answers every resent patch with a request).
     */
    snapshot(taskId: string): Promise<void> {
      const stream = streams.get(taskId);
      if (!stream) return Promise.resolve();
      stream.snapshotQueued ??= serial(stream, () => {
        stream.snapshotQueued = null;
        return captureAndSend(taskId, stream, true);
      }).then(() => undefined);
      return stream.snapshotQueued;
    },
    /** Final capture and last frame of a task; stops its stream and returns its last screen's rows. */
    async finish(taskId: string): Promise<string[]> {
      const stream = streams.get(taskId);
      if (!stream) return [];
      if (stream.timer) clearTimeout(stream.timer);
      stream.timer = null;
      const screen = await serial(stream, () => captureAndSend(taskId, stream, false)).catch(() => stream.last);
      streams.delete(taskId);
      return screen?.rows ?? [];
    },
    /** Stop every timer and wait for captures in flight (the agent is stopping; outboxes stay for the next start). */
    async stopAll(): Promise<void> {
      const chains = [...streams.values()].map((stream) => {
        if (stream.timer) clearTimeout(stream.timer);
        return stream.chain;
      });
      streams.clear();
      await Promise.all(chains);
    },
  };
}
