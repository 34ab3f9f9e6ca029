// Test support: run the REAL `partykit dev` (partykit/room.ts) on a free port with a fresh secret and no
// persistence, wait until it answers, and kill its whole process group on stop().
import { freePort } from './ports.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join, delimiter } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type RunningRoom = {
  /** `127.0.0.1:PORT`, as RoomTicketResponse.host would be. */
  host: string;
  roomSecret: string;
  stop(): Promise<void>;
};

/** A port that was free a moment ago (listen on 0, read it, close). */

/** Kill the child's process group (partykit spawns workerd) and wait for it to exit, SIGKILL after 5 s. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // stragglers in the group (workerd) that ignored SIGTERM
}

/**
 * Start `partykit dev --persist false` from the repo root. Resolves once the room's HTTP endpoint answers
 * (any status), within `timeoutMs` (default 60 s); rejects with the server's output otherwise.
 */
export async function startRoom(opts: { roomSecret?: string; timeoutMs?: number } = {}): Promise<RunningRoom> {
  const roomSecret = opts.roomSecret ?? randomBytes(32).toString('base64url');
  const port = await freePort();
  const bin = join(ROOT, 'node_modules', '.bin');
  const child = spawn(
    join(bin, 'partykit'),
    ['dev', '--port', String(port), '--persist', 'false', '--disable-request-cf-fetch', '--no-hotkeys',
      '--var', `ROOM_SECRET=${roomSecret}`],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, CI: '1' },
    },
  );
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const host = `127.0.0.1:${port}`;
  const stop = (): Promise<void> => killGroup(child);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`http://${host}/parties/main/00000000-0000-4000-8000-000000000000`, {
        signal: AbortSignal.timeout(2000),
      });
      return { host, roomSecret, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await stop();
  throw new Error(`partykit dev did not start on ${host}:\n${output.replaceAll(roomSecret, '<ROOM_SECRET>')}`);
}
