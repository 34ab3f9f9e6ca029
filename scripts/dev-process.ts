// Child processes of `npm start`: each in its own process group with prefixed output, stopped as a whole tree.
import { execa } from 'execa';

export interface Child {
  name: string;
  pid: number | undefined;
  /** Settles when the process exits, for any reason. */
  exited: Promise<void>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs` (default 5000 ms). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `file args` in `cwd` as a process-group leader; its output lines are prefixed with `[name]`. */
export function startProcess(name: string, file: string, args: string[], cwd: string, env: Record<string, string> = {}): Child {
  const proc = execa(file, args, { cwd, env, detached: true, reject: false, stdin: 'ignore', all: true, buffer: false });
  proc.all?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
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
