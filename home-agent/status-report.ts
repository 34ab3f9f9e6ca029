// `hearth status`: what this agent is configured for and running, from local files and tmux only.
// Never prints the token: only whether one is present and safe.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorLine } from './agent-error.ts';
import { availableLaunchers } from './backends/available.ts';
import { loadPolicy, policyPath, type Config } from './config.ts';
import { readCredentials } from './credentials.ts';
import { openLocalState } from './local-state.ts';
import { listPanes } from './tmux.ts';

/** The status as printable lines. */
export async function statusReport(config: Config): Promise<string[]> {
  const lines = [`config dir:  ${config.configDir}`];
  let paired: string;
  let server = config.server;
  try {
    const credentials = readCredentials(config.configDir);
    server ??= credentials?.server;
    paired = credentials ? `yes (device ${credentials.deviceId})` : 'no: run hearth login --server <url>';
  } catch (error) {
    paired = `unusable token file: ${errorLine(error)}`;
  }
  lines.push(`server:      ${server ?? '(not set)'}`, `paired:      ${paired}`);
  lines.push(`tmux socket: ${config.tmuxSocket}`, `concurrency: ${config.maxConcurrent}`);
  lines.push(`keep open:   ${config.keepOpenMinutes === 0 ? 'no (an AI CLI quits after its turn)' : `${config.keepOpenMinutes} min after an AI CLI's turn`}`);
  lines.push(`backends:    ${[...availableLaunchers(config.searchPath).keys()].join(', ')}`);
  lines.push(`workspaces:  ${config.workspaces.length === 0 ? '(none: add some to config.json)' : ''}`);
  for (const w of config.workspaces) lines.push(`  ${w.name}  ${w.path}`);
  lines.push(`policy:      ${policyLine(config.configDir)}`);

  const stateFile = join(config.configDir, 'state.db');
  const tasks = existsSync(stateFile) ? readTasks(stateFile) : [];
  const panes = new Map((await listPanes(config.tmuxSocket).catch(() => [])).map((p) => [p.paneId, p]));
  lines.push(`tasks:       ${tasks.length === 0 ? '(none running)' : ''}`);
  for (const t of tasks) {
    const pane = panes.get(t.paneId);
    const where = pane ? `window ${t.windowId}${pane.dead ? ' (program ended)' : ''}` : 'window gone';
    lines.push(`  ${t.taskId}  ${t.backend} in ${t.workspace}  ${t.status}  ${where}`);
  }
  return lines;
}

/** The approval policy in one line, or why the agent would refuse to start with it. */
function policyLine(configDir: string): string {
  try {
    const { policy, source } = loadPolicy(configDir);
    const from = source === 'file' ? policyPath(configDir) : 'defaults (no policy.json)';
    return (
      `${from}: approvals expire after ${policy.approvalDeadlineMinutes} min, auto-allow at most ` +
      `${policy.maxAutoAllowMinutes} min, ${policy.allowCommands.length} allow / ${policy.denyCommands.length} deny command rules`
    );
  } catch (error) {
    return `INVALID, the agent will not start: ${errorLine(error)}`;
  }
}

function readTasks(file: string) {
  const state = openLocalState(file);
  try {
    return state.tasks();
  } finally {
    state.close();
  }
}
