// The shell backend: the prompt is a bash script run in the workspace; its exit status is the task's.
import type { Launcher } from './backend.ts';

export const shellLauncher: Launcher = {
  name: 'shell',
  binary: null,
  plan: ({ promptFile }) => ({ argv: ['bash', '--noprofile', '--norc', promptFile], files: {} }),
};
