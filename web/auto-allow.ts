// Auto-allow for one task: the choices offered and the line that says what is on. Pure: the time is an argument.
import { isActive, type TaskView } from '../protocol/index.ts';

/** The durations offered, in minutes. */
export const AUTO_ALLOW_CHOICES = [5, 15, 60] as const;

/** The one line under the control: the owner's phone cannot widen what the home machine's policy denies. */
export const POLICY_NOTE = 'Your home machine’s policy still denies what it denies.';

/** A wall-clock time as HH:MM (24 h) in the phone's own time zone. */
export function clockTime(ms: number): string {
  const at = new Date(ms);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

export type AutoAllowModel = {
  /** Show the control at all: only while an AI CLI task is running or waiting (shell tasks ask nothing). */
  shown: boolean;
  /** Auto-allow is on now. */
  on: boolean;
  /** "Auto-allowing … until HH:MM" when on, else ''. */
  text: string;
};

/** The control for `task` at `nowMs`: on while `autoAllowUntil` is in the future. */
export function autoAllowModel(task: Pick<TaskView, 'status' | 'autoAllowUntil' | 'backend'>, nowMs: number): AutoAllowModel {
  const until = task.autoAllowUntil ?? null;
  const shown = isActive(task.status) && task.backend !== 'shell';
  const on = shown && until !== null && until > nowMs;
  return {
    shown,
    on,
    text: on && until !== null ? `Auto-allowing what your home policy would ask about until ${clockTime(until)}` : '',
  };
}
