// The room's live cache of tasks: each task's latest screen and ring of recent frames, capped in count (least
// recently updated evicted), plus a bounded memory of ended tasks whose late frames are dropped. Live only: D1 is the truth.
import type { PaneFrame } from '../protocol/index.ts';
import { decidePane, type Screen } from './screen.ts';
import { emptyRing, pushFrame, RING_LIMITS, type FrameRing, type RingLimits } from './frame-ring.ts';

export type TaskEntry = { screen: Screen; ring: FrameRing };

export type CacheLimits = { maxTasks: number; maxClosed: number; ring: RingLimits };

/** Defaults: 64 live tasks, 256 remembered ended tasks, RING_LIMITS per task. */
export const CACHE_LIMITS: CacheLimits = { maxTasks: 64, maxClosed: 256, ring: RING_LIMITS };

export type TaskCache = { tasks: Map<string, TaskEntry>; closed: Set<string>; limits: CacheLimits };

export const createTaskCache = (limits: CacheLimits = CACHE_LIMITS): TaskCache => ({
  tasks: new Map(),
  closed: new Set(),
  limits,
});

/** What applying an agent frame did. `applied` carries the JSON to fan out to subscribed phones. */
export type PaneOutcome =
  | { kind: 'applied'; json: string }
  | { kind: 'duplicate' }
  | { kind: 'gap' }
  | { kind: 'closed' };

/**
 * Apply `frame` (see screen.ts decidePane). A snapshot restarts the task's ring. Tracking a new task past
 * `maxTasks` evicts the least recently updated one. Frames for ended tasks are `closed` and change nothing.
 */
export function applyPane(cache: TaskCache, frame: PaneFrame): PaneOutcome {
  if (cache.closed.has(frame.taskId)) return { kind: 'closed' };
  const entry = cache.tasks.get(frame.taskId);
  const decision = decidePane(entry?.screen, frame);
  if (decision.kind !== 'apply') return { kind: decision.kind };

  const json = JSON.stringify(frame);
  const ring = entry && !frame.body.full ? entry.ring : emptyRing();
  pushFrame(ring, { seq: frame.seq, full: frame.body.full, json }, cache.limits.ring);
  cache.tasks.delete(frame.taskId);
  cache.tasks.set(frame.taskId, { screen: decision.screen, ring });
  for (const oldest of cache.tasks.keys()) {
    if (cache.tasks.size <= cache.limits.maxTasks) break;
    cache.tasks.delete(oldest);
  }
  return { kind: 'applied', json };
}

/** Forget a task's screen and drop its later frames (it ended, or the agent closed it). */
export function closeTask(cache: TaskCache, taskId: string): void {
  cache.tasks.delete(taskId);
  cache.closed.delete(taskId);
  cache.closed.add(taskId);
  for (const oldest of cache.closed) {
    if (cache.closed.size <= cache.limits.maxClosed) break;
    cache.closed.delete(oldest);
  }
}

/** A task as the room knows it: ended, unknown (no screen yet), or live with its entry. */
export function lookupTask(
  cache: TaskCache,
  taskId: string,
): { state: 'closed' } | { state: 'missing' } | { state: 'live'; entry: TaskEntry } {
  if (cache.closed.has(taskId)) return { state: 'closed' };
  const entry = cache.tasks.get(taskId);
  return entry ? { state: 'live', entry } : { state: 'missing' };
}
