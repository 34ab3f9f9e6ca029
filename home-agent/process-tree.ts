// Finds and ends every process of a task (DESIGN.md rule 9): the pane's descendants, its session, and any process
// carrying the task's env marker (catches daemons that re-parented or called setsid). Linux /proc only.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The env variable set in every task window; value `<tmux socket>:<task id>`. */
export const TASK_MARKER = 'HEARTH_TASK';

type ProcInfo = { pid: number; ppid: number; session: number; state: string };

/** Which processes belong to a task: descendants/session of `rootPid` and/or those whose marker matches. */
export type TaskProcesses = { rootPid?: number; marker?: { value?: string; prefix?: string } };

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0]!, ppid: Number(fields[1]), session: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

function markerOf(pid: number): string | undefined {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const entry = environ.split('\0').find((e) => e.startsWith(`${TASK_MARKER}=`));
    return entry?.slice(TASK_MARKER.length + 1);
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is ProcInfo => p !== undefined && p.state !== 'Z' && p.state !== 'X');
}

/** Pids (not zombies, never this process) that belong to the task right now. */
export function findTaskProcesses(which: TaskProcesses): number[] {
  const procs = allProcesses();
  const found = new Set<number>();
  const { rootPid, marker } = which;
  if (rootPid !== undefined) {
    if (procs.some((p) => p.pid === rootPid)) found.add(rootPid);
    for (const p of procs) if (p.session === rootPid) found.add(p.pid);
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of procs) {
        if (!found.has(p.pid) && (found.has(p.ppid) || p.ppid === rootPid)) {
          found.add(p.pid);
          grew = true;
        }
      }
    }
  }
  if (marker) {
    for (const p of procs) {
      if (found.has(p.pid)) continue;
      const value = markerOf(p.pid);
      if (value === undefined) continue;
      if (value === marker.value || (marker.prefix !== undefined && value.startsWith(marker.prefix))) found.add(p.pid);
    }
  }
  found.delete(process.pid);
  return [...found];
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone (ESRCH) or not ours (EPERM): nothing more to do for it
    }
  }
}

/**
 * End every process of the task: SIGTERM, wait up to `graceMs` for them to go, SIGKILL what is left; repeat
 * (a dying process may fork) until none is found, at most 5 rounds. Returns the pids still alive (normally []).
 */
export async function killTaskProcesses(which: TaskProcesses, graceMs = 1_500): Promise<number[]> {
  for (let round = 0; round < 5; round++) {
    const pids = findTaskProcesses(which);
    if (pids.length === 0) return [];
    signal(pids, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && findTaskProcesses(which).length > 0) await sleep(50);
    signal(findTaskProcesses(which), 'SIGKILL');
    await sleep(50);
  }
  return findTaskProcesses(which);
}
