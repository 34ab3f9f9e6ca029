// Whether Gemini CLI will read a per-task system settings file (where Hearth's BeforeTool hook lives). Gemini 0.61
// skips the file unless it and every ancestor directory are owned by root and not writable by group or others.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * True when a file written by this process inside `dir` would be trusted: this process is root (so it owns the
 * file), and `dir` and each ancestor are root-owned and not group/other-writable (mode & 0o022 === 0).
 * Any stat error → false. See docs/cli-backends.md §3.5.
 */
export function geminiTrustsDir(dir: string, uid: number = process.getuid?.() ?? -1): boolean {
  if (uid !== 0) return false;
  let current = resolve(dir);
  for (;;) {
    try {
      const st = statSync(current);
      if (st.uid !== 0 || (st.mode & 0o022) !== 0) return false;
    } catch {
      return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
