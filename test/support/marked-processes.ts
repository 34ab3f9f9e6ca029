// Find and end a test's processes by an env marker (HEARTH_TEST_MARK) that every process it starts inherits, so
// daemons that re-parented to pid 1 or called setsid are found too. Linux /proc only; never touches unmarked ones.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Put `{ [MARK_VAR]: value }` in the env of everything the test starts. */
export const MARK_VAR = 'HEARTH_TEST_MARK';

function markOf(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    if (state === 'Z' || state === 'X') return undefined;
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith(`${MARK_VAR}=`));
    return entry?.slice(MARK_VAR.length + 1);
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/** Live pids (never this process) whose marker equals `prefix` or starts with `prefix + ':'`. */
export function markedPids(prefix: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      const mark = markOf(entry);
      return mark === prefix || (mark?.startsWith(`${prefix}:`) ?? false);
    })
    .map(Number);
}

/** SIGKILL every process marked `prefix` (see markedPids) until none is left or `timeoutMs` passes; returns leftovers. */
export async function killMarked(prefix: string, timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = markedPids(prefix);
    if (pids.length === 0 || Date.now() > deadline) return pids;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sleep(100);
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** Those of `pids` that are not `rootPid` or its descendant (e.g. a daemon that re-parented to pid 1). */
export function outsideTree(rootPid: number, pids: number[]): number[] {
  return pids.filter((pid) => {
    for (let p = pid; p > 1; p = parentOf(p)) if (p === rootPid) return false;
    return true;
  });
}
