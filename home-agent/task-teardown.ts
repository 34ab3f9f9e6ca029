// The last steps for a task that is over here, whichever way it ended (finished, or its open window closed): the room
// ends its live screen, the tmux window goes, and its files and local state are removed. Its processes are already dead.
import type { AgentToRoom } from '../protocol/index.ts';
import type { LocalState, LocalTask } from './local-state.ts';
import { removeTaskFiles } from './task-launch.ts';
import { killWindow } from './tmux.ts';

export type TeardownDeps = {
  socket: string;
  stateDir: string;
  state: LocalState;
  sendToRoom: (message: AgentToRoom) => boolean;
};

/** Send `task-closed`, kill the task's window (gone already is fine), remove its files and its local state row. */
export async function teardownTask(deps: TeardownDeps, local: LocalTask): Promise<void> {
  deps.sendToRoom({ type: 'task-closed', taskId: local.taskId });
  await killWindow(deps.socket, local.windowId);
  removeTaskFiles(deps.stateDir, local.taskId, local.promptFile);
  deps.state.removeTask(local.taskId);
}
