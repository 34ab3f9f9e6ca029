// Child processes of `npm start`: each in its own process group with prefixed output, stopped as a whole tree.
import { createServer } from 'node:net';
import { execa } from 'execa';

export interface Child {
  name: string;
  pid: number | undefined;
  /** Settles when the process exits, for any reason. */
  exited: Promise<void>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs` (default 5000 ms). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `file args` in `cwd` as a process-group leader; its output lines are prefixed with `[name]` and also
 * handed to `onLine` when given.
 */
export function startProcess(
  name: string,
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  onLine?: (line: string) => void,
): Child {
  const proc = execa(file, args, { cwd, env, detached: true, reject: false, stdin: 'ignore', all: true, buffer: false });
  proc.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      process.stdout.write(`[${name}] ${line}\n`);
      onLine?.(line);
    }
  });
  const exited = proc.then(() => undefined);
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (proc.pid) process.kill(-proc.pid, sig);
    } catch {
      // the group is already gone
    }
  };
  return {
    name,
    pid: proc.pid,
    exited,
    async stop(graceMs = 5000) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signal('SIGKILL'); // stragglers that ignored SIGTERM in the same group
    },
  };
}

/** Resolves once `url` answers any HTTP status; rejects after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Throws a clear error when something already listens on `port` (so we never talk to a stranger's server). */
export async function assertPortFree(port: number, envName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `port ${port} is in use: stop what holds it or set ${envName}` : error.message)),
    );
    server.listen(port, '0.0.0.0', () => server.close(() => resolve()));
  });
}
