// Whether the agent may run a claimed task at all. Pure decision, checked before anything reaches tmux:
// allowlisted workspace, available backend, and a prompt the protocol's Prompt schema accepts.
import { Prompt, type Backend, type TaskError, type TaskView } from '../protocol/index.ts';
import type { Launcher } from './backends/backend.ts';
import type { Workspace } from './config.ts';

export type Admission = { ok: true; workspace: Workspace; launcher: Launcher } | { ok: false; error: TaskError };

/** Admit `task` or say why it must be finished as failed without running. */
export function admitTask(
  task: Pick<TaskView, 'workspace' | 'backend' | 'prompt'>,
  workspaces: readonly Workspace[],
  launchers: ReadonlyMap<Backend, Launcher>,
): Admission {
  const workspace = workspaces.find((w) => w.name === task.workspace);
  if (!workspace) {
    return {
      ok: false,
      error: { code: 'unknown-workspace', message: `workspace "${task.workspace}" is not on this machine's allowlist` },
    };
  }
  const launcher = launchers.get(task.backend);
  if (!launcher) {
    return {
      ok: false,
      error: { code: 'backend-unavailable', message: `${task.backend} is not installed on the home machine` },
    };
  }
  const prompt = Prompt.safeParse(task.prompt);
  if (!prompt.success) {
    return { ok: false, error: { code: 'invalid-request', message: prompt.error.issues[0]?.message ?? 'bad prompt' } };
  }
  return { ok: true, workspace, launcher };
}
