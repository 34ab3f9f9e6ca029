// What a backend is: how to launch one CLI (or a shell script) in a tmux window with the prompt read from a file,
// and for the AI CLIs how their screen looks and how to close them. Launchers build argv and files only; the prompt
// text never appears in argv (DESIGN.md rule 9).
import type { Backend } from '../../protocol/index.ts';
import type { DialogKeys } from './screen-dialog.ts';
import type { ScreenReader } from './screen-state.ts';

/** What the agent gives a launcher for one task. */
export type LaunchContext = {
  /** The prompt, in a 0600 file in the agent's state dir. */
  promptFile: string;
  /** A 0700 directory for this task's files (hook settings, policies); `files` are written into it. */
  taskDir: string;
  /** argv that runs `hearth` (absolute node, absolute cli.ts). */
  hearth: readonly string[];
  /** How long the owner has to answer an approval, in ms. */
  deadlineMs: number;
  /** What `hearth hook` needs (socket, task, token), for CLIs that may scrub their hooks' environment. */
  hookEnv: Record<string, string>;
  /**
   * False only as a test/diagnostic switch: start the CLI without Hearth's hook, so its own pane dialog is the only
   * gate (answered through the screen fallback, issue 3). Never a user setting. Default true.
   */
  hooks?: boolean;
  /** The task's model (TaskView.model, already a valid ModelName): the AI CLIs get it as `--model`, a positional arg. */
  model?: string;
};

/** How to start the task: argv for tmux new-window, and files (name → text) to write 0600 in taskDir first. */
export type LaunchPlan = { argv: string[]; files: Record<string, string> };

export type Launcher = {
  name: Backend;
  /** The program that must be on PATH for this backend to be offered, or null when always available. */
  binary: string | null;
  plan(context: LaunchContext): LaunchPlan;
  /** AI CLIs: reads the screen so the agent knows when the turn is over; absent for programs that exit. */
  screen?: ScreenReader;
  /** AI CLIs: how their permission dialogs are read off the pane and answered with keys (the screen fallback). */
  dialog?: DialogKeys;
  /** AI CLIs: the text typed (then Enter) to make the CLI quit cleanly once its turn is over. */
  quit?: string;
};
