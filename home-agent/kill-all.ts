// `hearth kill-all`: ends every task's processes and the agent's tmux server (used by `npm start` on Ctrl-C).
// Does not talk to the Worker: a later `hearth start` finishes tasks whose windows are gone as failed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalState } from './local-state.ts';
import { killTaskProcesses } from './process-tree.ts';
import { killServer, listPanes } from './tmux.ts';

/** Kill every pane's process tree, every process carrying this socket's task marker, then the tmux server. */
export async function killAll(opts: { configDir: string; tmuxSocket: string }): Promise<{ killedPanes: number }> {
  const panes = await listPanes(opts.tmuxSocket);
  const rootPids = new Set(panes.map((p) => p.pid));
  const stateFile = join(opts.configDir, 'state.db');
  if (existsSync(stateFile)) {
    const state = openLocalState(stateFile);
    for (const task of state.tasks()) rootPids.add(task.panePid);
    state.close();
  }
  for (const rootPid of rootPids) await killTaskProcesses({ rootPid, marker: { prefix: `${opts.tmuxSocket}:` } });
  await killTaskProcesses({ marker: { prefix: `${opts.tmuxSocket}:` } });
  await killServer(opts.tmuxSocket);
  return { killedPanes: panes.length };
}
