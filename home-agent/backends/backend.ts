// What a backend is: how to launch one CLI (or a shell script) in a tmux window with the prompt read from a file.
// Launchers build argv only; the prompt text never appears in it (DESIGN.md rule 9).
import type { Backend } from '../../protocol/index.ts';

export type Launcher = {
  name: Backend;
  /** The program that must be on PATH for this backend to be offered, or null when always available. */
  binary: string | null;
  /** argv for tmux new-window, reading the prompt from `promptFile` (a 0600 file in the agent's state dir). */
  argv(promptFile: string): string[];
};
