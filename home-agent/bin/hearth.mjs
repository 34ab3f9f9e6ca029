#!/usr/bin/env node
// The `hearth` command: runs home-agent/cli.ts under this node with TypeScript type stripping (node >= 22.12).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`hearth: needs Node.js 22.12 or newer (this is ${process.version}): install a newer node\n`);
  process.exit(1);
}
const cli = new URL('../cli.ts', import.meta.url);
if (process.features.typescript) {
  // Type stripping is on by default (node >= 22.18 / 23.6): run in this process.
  await import(cli.href);
} else {
  // Older 22.x: a child with the flag; forward signals so Ctrl-C and kill reach the agent.
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', fileURLToPath(cli), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`hearth: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
