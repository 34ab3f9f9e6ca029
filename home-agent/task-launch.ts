// Starts an admitted task's program: writes the prompt to a 0600 file and opens the task's tmux window running
// the backend's argv in the workspace. The prompt text goes to the file only, never to tmux (DESIGN.md rule 9).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_MARKER } from './process-tree.ts';
import type { Launcher } from './backends/backend.ts';
import type { Workspace } from './config.ts';
import { exitStatus, openWindow, type TaskWindow } from './tmux.ts';

/** The value of the task's env marker (`<socket>:<task id>`), matched by process-tree.ts. */
export const markerValue = (socket: string, taskId: string): string => `${socket}:${taskId}`;

export type Launched = TaskWindow & { promptFile: string };

/**
 * A fixed wrapper around the backend's argv that also writes the exit status to `$1`: tmux's pane_dead_status
 * was seen to stay empty on a loaded machine, so this file is the fallback (see exitStatusFile).
 */
const EXIT_WRAPPER = 'f=$1; shift; "$@"; s=$?; printf \'%s\\n\' "$s" > "$f"; exit "$s"';

/** Where the wrapper records the exit status of the task whose prompt is in `promptFile`. */
export const exitStatusFile = (promptFile: string): string => promptFile.replace(/\.txt$/, '.exit');

/**
 * Write `<stateDir>/prompts/<taskId>.txt` (dir 0700, file 0600) and open the window. Removes the prompt file
 * and rethrows (AgentError) when tmux fails.
 */
export async function launchTask(
  socket: string,
  stateDir: string,
  task: { id: string; prompt: string },
  admitted: { workspace: Workspace; launcher: Launcher },
): Promise<Launched> {
  const promptDir = join(stateDir, 'prompts');
  mkdirSync(promptDir, { recursive: true, mode: 0o700 });
  const promptFile = join(promptDir, `${task.id}.txt`);
  writeFileSync(promptFile, task.prompt, { mode: 0o600, flag: 'wx' });
  try {
    const window = await openWindow(socket, {
      name: `task-${task.id.slice(0, 8)}`,
      cwd: admitted.workspace.path,
      argv: ['bash', '--noprofile', '--norc', '-c', EXIT_WRAPPER, 'hearth-task', exitStatusFile(promptFile), ...admitted.launcher.argv(promptFile)],
      env: { [TASK_MARKER]: markerValue(socket, task.id) },
    });
    return { ...window, promptFile };
  } catch (error) {
    rmSync(promptFile, { force: true });
    throw error;
  }
}

/**
 * How a dead task pane's program ended: tmux's pane_dead_status/signal, else the wrapper's status file.
 * Undefined while the pane is alive or when it is gone; status and signal both null when neither knows.
 */
export async function taskExit(
  socket: string,
  paneId: string,
  promptFile: string,
): Promise<{ status: number | null; signal: number | null } | undefined> {
  const exit = await exitStatus(socket, paneId, 2_000);
  if (!exit || exit.status !== null || exit.signal !== null) return exit;
  try {
    const text = readFileSync(exitStatusFile(promptFile), 'utf8').trim();
    return { status: /^\d{1,3}$/.test(text) ? Number(text) : null, signal: null };
  } catch {
    return exit;
  }
}
