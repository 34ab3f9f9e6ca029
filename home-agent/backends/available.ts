// Which backends this machine can run: shell always, an AI CLI only when its binary is on PATH.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Backend } from '../../protocol/index.ts';
import type { Launcher } from './backend.ts';
import { claudeLauncher, codexLauncher, geminiLauncher } from './ai-cli.ts';
import { shellLauncher } from './shell.ts';

export const LAUNCHERS: readonly Launcher[] = [shellLauncher, claudeLauncher, codexLauncher, geminiLauncher];

/** True when an executable regular file `binary` exists in one of the absolute `searchPath` directories. */
export function onPath(binary: string, searchPath: string): boolean {
  return searchPath
    .split(delimiter)
    .filter((dir) => dir !== '' && isAbsolute(dir))
    .some((dir) => {
      const file = join(dir, binary);
      try {
        accessSync(file, constants.X_OK);
        return statSync(file).isFile();
      } catch {
        return false;
      }
    });
}

/** The launchers available here, keyed by backend name. */
export function availableLaunchers(searchPath: string): Map<Backend, Launcher> {
  return new Map(
    LAUNCHERS.filter((l) => l.binary === null || onPath(l.binary, searchPath)).map((l) => [l.name, l] as const),
  );
}
