// What a phone gets when it subscribes to a task, given what it already holds (`lastSeq`) and what the room holds.
// Pure decision; the room sends the result.
import { framesAfter, type RingFrame } from './frame-ring.ts';
import type { TaskEntry } from './task-cache.ts';

export type Resume =
  | { kind: 'replay'; frames: RingFrame[] }
  | { kind: 'up-to-date' }
  | { kind: 'snapshot' }
  | { kind: 'ask-agents' };

/**
 * Decide how to bring a phone holding `lastSeq` (undefined: nothing) up to `entry` (undefined: the room has no
 * screen, so ask the agents for one). Replays the ring when it covers what the phone missed; otherwise — no
 * lastSeq, too old, or ahead of the room (the room restarted) — a synthesized snapshot.
 */
export function decideResume(entry: TaskEntry | undefined, lastSeq: number | undefined): Resume {
  if (!entry) return { kind: 'ask-agents' };
  if (lastSeq === undefined || lastSeq > entry.screen.seq) return { kind: 'snapshot' };
  if (lastSeq === entry.screen.seq) return { kind: 'up-to-date' };
  const frames = framesAfter(entry.ring, lastSeq);
  return frames && frames.length > 0 ? { kind: 'replay', frames } : { kind: 'snapshot' };
}
