// Starts an admitted task's program: writes the prompt to a 0600 file, the launcher's per-task files (hook settings)
// and the hook token into a 0700 task dir, and opens the task's tmux window running the backend's argv in the
// workspace. The prompt and the token go to files only, never to tmux (DESIGN.md rules 9, 10).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_APPROVAL_DEADLINE_MS } from '../protocol/index.ts';
import { TASK_MARKER } from './process-tree.ts';
import type { Launcher } from './backends/backend.ts';
import type { Workspace } from './config.ts';
import { exitStatus, openWindow, type TaskWindow } from './tmux.ts';

/** The value of the task's env marker (`<socket>:<task id>`), matched by process-tree.ts and read by `hearth hook`. */
export const markerValue = (socket: string, taskId: string): string => `${socket}:${taskId}`;

/**
 * argv that runs this `hearth` (the node running the agent with its type-stripping flag, if it needed one, and this
 * checkout's cli.ts): the hook command's prefix. A hook whose node cannot start fails open on Gemini (exit 1).
 */
export const HEARTH_ARGV: readonly string[] = [
  process.execPath,
  ...process.execArgv.filter((arg) => arg === '--experimental-strip-types' || arg === '--no-warnings'),
  fileURLToPath(new URL('./cli.ts', import.meta.url)),
];

/** The env variable naming the agent's hook socket in every task window. */
export const HOOK_SOCKET_ENV = 'HEARTH_HOOK_SOCKET';

export type Launched = TaskWindow & { promptFile: string };

/** What a task's hook needs: the agent's socket, the task's token, and the approval deadline (ms). */
export type HookSetup = {
  socketPath: string;
  token: string;
  deadlineMs: number;
  hearth?: readonly string[];
  /** Extra environment for the window (tests point the CLIs at a local model server); the hook variables win. */
  env?: Record<string, string>;
  /** false: launch AI CLIs without Hearth's hook (test/diagnostic switch, LaunchContext.hooks). Default true. */
  enabled?: boolean;
};

/** A fresh per-task hook token: 32 random bytes, base64url. */
export const newHookToken = (): string => randomBytes(32).toString('base64url');

/** The agent's hook socket: `<stateDir>/run/hook.sock`. */
export const hookSocketPath = (stateDir: string): string => join(stateDir, 'run', 'hook.sock');

/**
 * A fixed wrapper around the backend's argv: exports the hook token read from `$2` and, unless `$3` is `-`, the
 * attached images' paths read from `$3` as HEARTH_ATTACHMENTS (one a line: tmux refuses line breaks in -e values),
 * runs the program, and writes its exit status to `$1` (tmux's pane_dead_status was seen to stay empty on a loaded
 * machine; see exitStatusFile).
 */
const EXIT_WRAPPER =
  'f=$1; HEARTH_HOOK_TOKEN=$(cat -- "$2") || exit 126; export HEARTH_HOOK_TOKEN; ' +
  'if [ "$3" != - ]; then HEARTH_ATTACHMENTS=$(cat -- "$3") || exit 126; export HEARTH_ATTACHMENTS; fi; ' +
  'shift 3; "$@"; s=$?; printf \'%s\\n\' "$s" > "$f"; exit "$s"';

/** Where the wrapper records the exit status of the task whose prompt is in `promptFile`. */
export const exitStatusFile = (promptFile: string): string => promptFile.replace(/\.txt$/, '.exit');

/** The task's 0700 directory for hook settings and its token: `<stateDir>/tasks/<taskId>`. */
export const taskDirOf = (stateDir: string, taskId: string): string => join(stateDir, 'tasks', taskId);

/**
 * Write `<stateDir>/prompts/<taskId>.txt` (dir 0700, file 0600) and the task dir, then open the window. Removes
 * what it wrote and rethrows (AgentError) when tmux fails.
 */
export async function launchTask(
  socket: string,
  stateDir: string,
  task: { id: string; prompt: string; model?: string | null; attachmentPaths?: readonly string[] },
  admitted: { workspace: Workspace; launcher: Launcher },
  hook: HookSetup = { socketPath: hookSocketPath(stateDir), token: newHookToken(), deadlineMs: DEFAULT_APPROVAL_DEADLINE_MS },
): Promise<Launched> {
  const promptDir = join(stateDir, 'prompts');
  mkdirSync(promptDir, { recursive: true, mode: 0o700 });
  const promptFile = join(promptDir, `${task.id}.txt`);
  const taskDir = taskDirOf(stateDir, task.id);
  writeFileSync(promptFile, task.prompt, { mode: 0o600, flag: 'wx' });
  try {
    mkdirSync(taskDir, { recursive: true, mode: 0o700 });
    const hookEnv = { [TASK_MARKER]: markerValue(socket, task.id), [HOOK_SOCKET_ENV]: hook.socketPath, HEARTH_HOOK_TOKEN: hook.token };
    const plan = admitted.launcher.plan({ promptFile, taskDir, hearth: hook.hearth ?? HEARTH_ARGV, deadlineMs: hook.deadlineMs, hookEnv, hooks: hook.enabled !== false, ...(task.model ? { model: task.model } : {}) });
    const tokenFile = join(taskDir, 'hook-token');
    writeFileSync(tokenFile, hook.token, { mode: 0o600 });
    for (const [name, text] of Object.entries(plan.files)) writeFileSync(join(taskDir, name), text, { mode: 0o600 });
    const paths = task.attachmentPaths ?? [];
    const attachmentsFile = paths.length > 0 ? join(taskDir, 'attachments.txt') : '-';
    if (paths.length > 0) writeFileSync(attachmentsFile, paths.join('\n'), { mode: 0o600 });
    const window = await openWindow(socket, {
      name: `task-${task.id.slice(0, 8)}`,
      cwd: admitted.workspace.path,
      argv: ['bash', '--noprofile', '--norc', '-c', EXIT_WRAPPER, 'hearth-task', exitStatusFile(promptFile), tokenFile, attachmentsFile, ...plan.argv],
      env: { ...hook.env, [TASK_MARKER]: markerValue(socket, task.id), [HOOK_SOCKET_ENV]: hook.socketPath },
    });
    return { ...window, promptFile };
  } catch (error) {
    rmSync(promptFile, { force: true });
    rmSync(taskDir, { recursive: true, force: true });
    throw error;
  }
}

/** Remove what launchTask wrote for a task that is over. */
export function removeTaskFiles(stateDir: string, taskId: string, promptFile: string): void {
  rmSync(promptFile, { force: true });
  rmSync(exitStatusFile(promptFile), { force: true });
  rmSync(taskDirOf(stateDir, taskId), { recursive: true, force: true });
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
