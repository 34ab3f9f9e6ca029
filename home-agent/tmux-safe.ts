// Which strings may appear as tmux arguments built from agent config (paths, names). Pure.
// tmux expands formats in -n/-c/-e values (`#(cmd)` runs a shell) and splits any argument ending in ';'.
import { AgentError } from './agent-error.ts';

/** True when `value` can be passed to tmux literally: no '#', no line breaks, no trailing ';', not empty. */
export function isTmuxSafe(value: string): boolean {
  return value !== '' && !value.includes('#') && !/[\n\r]/.test(value) && !value.endsWith(';');
}

/** Throw AgentError `invalid-request` unless isTmuxSafe(value). */
export function assertTmuxSafe(value: string): void {
  if (!isTmuxSafe(value)) {
    throw new AgentError('invalid-request', `refusing to pass ${JSON.stringify(value.slice(0, 40))} to tmux`);
  }
}
