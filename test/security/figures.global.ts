// Global setup of the `security` vitest project: gives the test files a fresh figures file, and after the run prints
// every recorded figure as one table (test/support/security-figures.ts) on stdout, where vitest leaves it last.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { SecurityFigure } from '../support/security-figures.ts';

/** The figures as a fixed-width table: check, attempts, successes, detail. */
function table(figures: SecurityFigure[]): string {
  const head = ['check', 'attempts', 'successes', 'detail'];
  const rows = figures.map((f) => [f.check, String(f.attempts), String(f.successes), f.detail]);
  const width = (i: number) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length));
  const line = (r: string[]) => [r[0]!.padEnd(width(0)), r[1]!.padStart(width(1)), r[2]!.padStart(width(2)), r[3]!].join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-security-'));
  const file = join(dir, 'figures.jsonl');
  writeFileSync(file, '');
  project.provide('securityFiguresFile', file);
  return () => {
    const figures = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => SecurityFigure.parse(JSON.parse(l)));
    rmSync(dir, { recursive: true, force: true });
    if (figures.length === 0) return;
    const total = figures.reduce((n, f) => n + f.successes, 0);
    process.stdout.write(`\nSecurity figures (npm run test:security): ${figures.length} checks, ${total} successes against the defences\n${table(figures)}\n\n`);
  };
}
