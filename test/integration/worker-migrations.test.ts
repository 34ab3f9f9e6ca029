// The D1 data-loss trap (STACK-NOTES): drizzle's table rebuilds say `PRAGMA foreign_keys=OFF`, which D1 ignores,
// so the DROP TABLE would cascade. No migration may rely on it, and the schema must declare no cascades.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

describe('D1 migrations', () => {
  it('exist and never switch foreign keys off or cascade deletes', async () => {
    const files = (await readdir(join(ROOT, 'migrations'))).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(join(ROOT, 'migrations', file), 'utf8');
      expect(text, file).not.toMatch(/PRAGMA\s+foreign_keys\s*=\s*OFF/i);
      expect(text, file).not.toMatch(/ON\s+DELETE\s+CASCADE/i);
    }
  });

  it('declare no cascade in the schema either', async () => {
    const schema = await readFile(join(ROOT, 'worker/db/schema.ts'), 'utf8');
    expect(schema).not.toMatch(/onDelete:\s*['"]cascade['"]/);
  });
});
