// The figures of the security suite (test/security/): each check records what it tried, how many attempts it made and
// how many got through; test/security/figures.global.ts prints them as one table after the run. Records only.
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';
import { z } from 'zod';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The JSON-lines file this run's figures go to (made by test/security/figures.global.ts). */
    securityFiguresFile: string;
  }
}

/**
 * One line of the table. `successes` counts what got through a defence (an answer 2xx/3xx or a leak, a socket left
 * open, a tampering not caught): every check asserts it is 0. `detail` says how the attempts were answered.
 */
export const SecurityFigure = z.object({
  check: z.string(),
  attempts: z.number().int().min(0),
  successes: z.number().int().min(0),
  detail: z.string(),
});
export type SecurityFigure = z.infer<typeof SecurityFigure>;

/** Add a line to this run's table (appended at once, so a later failure in the file keeps it). */
export function recordFigure(figure: SecurityFigure): void {
  appendFileSync(inject('securityFiguresFile'), `${JSON.stringify(SecurityFigure.parse(figure))}\n`);
}

/** `{401: 3, 404: 1}` → "401×3, 404×1" (keys sorted). */
export function tally(counts: ReadonlyMap<string | number, number>): string {
  return [...counts].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([k, n]) => `${k}×${n}`).join(', ');
}

/** Count `key` in `counts`. */
export function bump(counts: Map<string | number, number>, key: string | number): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Run each named way into a room one after another, record the figure `check` (how each was answered), and return
 * the ones that entered, as "<name>: <how>" (the caller asserts there are none).
 */
export async function tryRoomEntries(check: string, tries: ReadonlyArray<readonly [string, () => Promise<{ entered: boolean; how: string }>]>): Promise<string[]> {
  const hows = new Map<string, number>();
  const entered: string[] = [];
  for (const [what, run] of tries) {
    const outcome = await run();
    bump(hows, outcome.how);
    if (outcome.entered) entered.push(`${what}: ${outcome.how}`);
  }
  recordFigure({ check, attempts: tries.length, successes: entered.length, detail: tally(hows) });
  return entered;
}
