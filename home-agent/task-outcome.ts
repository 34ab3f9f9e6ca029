// How a task's program or CLI turn ended, as the finish it becomes: a program's exit status, or an AI CLI's idle
// screen once it was asked to quit. Reads tmux; never kills or delivers anything (task-runner.ts does).
import type { Backend, FinishRequest } from '../protocol/index.ts';
import type { Launcher } from './backends/backend.ts';
import { quitCli } from './cli-quit.ts';
import type { LocalTask } from './local-state.ts';
import { captureScreen } from './pane-capture.ts';
import { taskExit } from './task-launch.ts';

/** How a task ended; `finalScreen` when it was captured before the ending changed the screen (an idle CLI quit). */
export type Outcome = Omit<FinishRequest, 'finalScreen'> & { finalScreen?: string[] };

/** Screen rows without the trailing blank ones, as a final screen is stored. */
export function finalRows(rows: readonly string[]): string[] {
  const copy = [...rows];
  while (copy.length > 0 && copy.at(-1) === '') copy.pop();
  return copy;
}

/** How a program that exited ended: tmux's pane_dead_status (0 → succeeded) or pane_dead_signal. */
export async function exitOutcome(socket: string, local: LocalTask): Promise<Outcome> {
  const exit = await taskExit(socket, local.paneId, local.promptFile);
  if (exit?.status === 0) return { status: 'succeeded', exitCode: 0, error: null };
  if (exit && exit.status !== null) return { status: 'failed', exitCode: exit.status, error: null };
  const how = exit?.signal ? `killed by signal ${exit.signal}` : 'ended without an exit status';
  return { status: 'failed', exitCode: null, error: { code: 'internal', message: `the program was ${how}` } };
}

/** An AI CLI's turn is over: keep its idle screen as the final one and ask it to quit (its tree is killed after). */
export async function idleOutcome(
  deps: { socket: string; launchers: ReadonlyMap<Backend, Launcher>; log: (line: string) => void; report: (error: unknown) => void },
  local: LocalTask,
): Promise<Outcome> {
  const finalScreen = (await captureScreen(deps.socket, local.paneId))?.rows;
  const quit = deps.launchers.get(local.backend)?.quit;
  if (quit && !(await quitCli(deps.socket, local.paneId, quit, deps.report))) {
    deps.log(`task ${local.taskId}: ${local.backend} did not quit on ${quit}; killing it`);
  }
  return { status: 'succeeded', exitCode: null, error: null, ...(finalScreen ? { finalScreen } : {}) };
}
