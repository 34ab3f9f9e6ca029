// Process checks for tests: find live processes by command line through /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live processes whose command line contains `needle` (zombies excluded). */
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids.filter((p) => p !== process.pid);
}

/** Polls until no process matches `needle`, up to `timeoutMs`; returns the pids still alive then. */
export async function waitForNoProcess(needle: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pidsMatching(needle);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}
