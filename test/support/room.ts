// Test support: run the REAL `partykit dev` (partykit/room.ts) on a free port with fresh secrets and no
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
  port: number;
  /** Bearer of Worker → room notifications. */
  roomSecret: string;
  /** HMAC key of room tickets. */
  ticketSecret: string;
  stop(): Promise<void>;
};

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

export type StartRoomOptions = {
  /** Shared with the Worker (default: 32 fresh random bytes). */
  roomSecret?: string;
  /** Shared with the Worker (default: 32 fresh random bytes). */
  ticketSecret?: string;
  /**
   * Listen here (default: a free port). Pass a stopped room's port and secrets to restart it in its place (the start
   * fails if another process took the port in between).
   */
  port?: number;
  /** How long to wait for the server to answer, in ms (default 60 s). */
  timeoutMs?: number;
};

/**
 * Start `partykit dev --persist false` from the repo root. Resolves once the room's HTTP endpoint answers
 * (any status) after it said it listens, within `timeoutMs`; rejects with the server's output otherwise.
 * A restarted room on the same port and secret is a fresh room: no screens, no spent tickets.
 */
export async function startRoom(opts: StartRoomOptions = {}): Promise<RunningRoom> {
  const roomSecret = opts.roomSecret ?? randomBytes(32).toString('base64url');
  const ticketSecret = opts.ticketSecret ?? randomBytes(32).toString('base64url');
  const port = opts.port ?? (await freePort());
  const bin = join(ROOT, 'node_modules', '.bin');
  const child = spawn(
    join(bin, 'partykit'),
    ['dev', '--port', String(port), '--persist', 'false', '--disable-request-cf-fetch', '--no-hotkeys',
      '--var', `ROOM_SECRET=${roomSecret}`, '--var', `TICKET_SECRET=${ticketSecret}`],
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
  // partykit stays up after failing to bind (it only prints the error), so wait for its own ready line too:
  // on a reused port something else may answer the probe.
  const ready = (): boolean => output.includes(`Ready on http://0.0.0.0:${port}`);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || output.includes('Address already in use')) break;
    if (!ready()) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      await fetch(`http://${host}/parties/main/00000000-0000-4000-8000-000000000000`, {
        signal: AbortSignal.timeout(2000),
      });
      return { host, port, roomSecret, ticketSecret, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await stop();
  const shown = output.replaceAll(roomSecret, '<ROOM_SECRET>').replaceAll(ticketSecret, '<TICKET_SECRET>');
  throw new Error(`partykit dev did not start on ${host}:\n${shown}`);
}
