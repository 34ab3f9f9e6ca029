// When an AI CLI's task is done: its screen was seen working, then idle and still idle `stableMs` later (the start
// screen alone never counts). Pure state; the task runner feeds it screens and re-checks after the wait.
import type { ScreenState } from './backends/screen-state.ts';

export type TurnWatch = { sawWorking: boolean; idleSince: number | null };

/** How long the idle screen must last before the task counts as done, in ms. */
export const IDLE_STABLE_MS = 1_500;

export const newTurnWatch = (): TurnWatch => ({ sawWorking: false, idleSince: null });

/** The watch after seeing a screen in `state` at `now` (ms). */
export function observe(watch: TurnWatch, state: ScreenState, now: number): TurnWatch {
  if (state === 'working') return { sawWorking: true, idleSince: null };
  if (state === 'idle' && watch.sawWorking) return { sawWorking: true, idleSince: watch.idleSince ?? now };
  return { sawWorking: watch.sawWorking, idleSince: null };
}

/** True when the turn is over: idle since at least `stableMs` before `now`. */
export const turnDone = (watch: TurnWatch, now: number, stableMs = IDLE_STABLE_MS): boolean =>
  watch.idleSince !== null && now - watch.idleSince >= stableMs;
