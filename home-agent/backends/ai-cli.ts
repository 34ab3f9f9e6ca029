// Launchers for the AI coding CLIs: a fixed bash line reads the prompt file and execs the CLI with it as one
// argument after the options. Approvals (hooks) come later; these only start the CLI in the workspace.
import type { Launcher } from './backend.ts';

/** `bash -c <fixed script> <name> <promptFile>`: $1 is the prompt file; the script text is constant. */
const viaBash = (script: string, name: string, promptFile: string): string[] => [
  'bash', '--noprofile', '--norc', '-c', script, name, promptFile,
];

export const claudeLauncher: Launcher = {
  name: 'claude',
  binary: 'claude',
  argv: (promptFile) => viaBash('exec claude -- "$(cat -- "$1")"', 'hearth-claude', promptFile),
};

export const codexLauncher: Launcher = {
  name: 'codex',
  binary: 'codex',
  argv: (promptFile) => viaBash('exec codex -- "$(cat -- "$1")"', 'hearth-codex', promptFile),
};

export const geminiLauncher: Launcher = {
  name: 'gemini',
  binary: 'gemini',
  argv: (promptFile) => viaBash('exec gemini --prompt-interactive="$(cat -- "$1")"', 'hearth-gemini', promptFile),
};
