// Runs the real Worker (wrangler dev → workerd) on a free 127.0.0.1 port with a fresh temp D1 that has the real
// migrations applied, plus helpers that sign in and pair an agent through the public HTTP API only.
import { freePort } from './ports.ts';
import { mintSetupLink, registerWithLink } from '../../scripts/passkey-client.ts';
import { softAuthenticator, type SoftAuthenticator } from '../../scripts/soft-authenticator.ts';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpush from 'web-push';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const READY_TIMEOUT_MS = 90_000;

export type StartWorkerOptions = {
  /** host:port of the PartyKit server the Worker notifies and hands out in room tickets (default 127.0.0.1:1999). */
  partykitHost?: string;
  /** Bearer of room notifications; pass the room's (default: fresh random). */
  roomSecret?: string;
  /** HMAC key of room tickets; pass the room's (default: fresh random, so its tickets enter no real room). */
  ticketSecret?: string;
  setupSecret?: string;
  /** Extra Worker vars, e.g. { DEVICE_CODE_TTL_SECONDS: '1', LEASE_MS: '1500' }. */
  vars?: Record<string, string>;
  /**
   * Web Push (default on): fresh VAPID keys for this Worker and PUSH_ALLOW_LOCAL_ENDPOINTS=true, so it pushes to a
   * local stand-in (test/support/push-service.ts). `false`: no VAPID keys, push off.
   */
  push?: boolean;
};

/** The VAPID identity a test Worker signs pushes with (base64url keys, as web-push generates them). */
export type TestVapid = { publicKey: string; privateKey: string; subject: string };

export type RunningWorker = {
  /** http://127.0.0.1:<port> */
  url: string;
  setupSecret: string;
  roomSecret: string;
  ticketSecret: string;
  /** The Worker's VAPID keys; null when started with `push: false`. */
  vapid: TestVapid | null;
  /** wrangler's --persist-to directory (local D1 lives under it); removed by stop(). */
  persistDir: string;
  /** Everything wrangler printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
};

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Spawn wrangler in its own process group (so stop() ends workerd too), capturing its output. */
function spawnWrangler(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => out };
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((ok) => child.once('exit', (code) => ok(code)));

async function stopChild(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited(child);
  clearTimeout(timer);
  killGroup(child, 'SIGKILL'); // workerd children that outlived wrangler
}

/** Start the Worker. Rejects (after cleaning up) when it does not answer within 90 s. */
export async function startWorker(opts: StartWorkerOptions = {}): Promise<RunningWorker> {
  await mkdir(join(ROOT, 'web/dist'), { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'hearth-worker-'));
  const setupSecret = opts.setupSecret ?? randomBytes(32).toString('base64url');
  const roomSecret = opts.roomSecret ?? randomBytes(32).toString('base64url');
  const ticketSecret = opts.ticketSecret ?? randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    CI: '1',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_LOG_PATH: join(dir, 'logs'),
  };
  const persist = join(dir, 'state');
  const migrate = spawnWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], env);
  const migrateCode = await exited(migrate.child);
  if (migrateCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`wrangler d1 migrations apply failed (${migrateCode}):\n${migrate.output()}`);
  }

  // Secrets go in a 0600 env file, not argv (argv is visible to every local user).
  const vapid: TestVapid | null = opts.push === false ? null : { ...webpush.generateVAPIDKeys(), subject: 'mailto:push-test@hearth.invalid' };
  const pushVars = vapid
    ? { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: vapid.subject, PUSH_ALLOW_LOCAL_ENDPOINTS: 'true' }
    : {};
  const vars = { ROOM_SECRET: roomSecret, TICKET_SECRET: ticketSecret, SETUP_SECRET: setupSecret, PARTYKIT_HOST: opts.partykitHost ?? '127.0.0.1:1999', ...pushVars, ...opts.vars };
  const envFile = join(dir, 'worker.env');
  await writeFile(envFile, Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const dev = spawnWrangler(
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', persist,
      '--env-file', envFile, '--test-scheduled', '--show-interactive-dev-session=false', '--log-level', 'warn'],
    env,
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(dev.child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (dev.child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited early:\n${dev.output()}`);
    }
    try {
      const res = await fetch(`${url}/api/me`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer on ${url} within ${READY_TIMEOUT_MS} ms:\n${dev.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, setupSecret, roomSecret, ticketSecret, vapid, persistDir: persist, output: dev.output, stop };
}

/**
 * Open the running Worker's local D1 file (SQLite in WAL mode, shared safely with workerd) to look at rows or to
 * inject a failure (e.g. a trigger that aborts an INSERT). Close it before `stop()`.
 */
export async function openD1(worker: RunningWorker): Promise<Database.Database> {
  const dir = join(worker.persistDir, 'v3/d1/miniflare-D1DatabaseObject');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  return new Database(join(dir, files[0]!));
}

/** Run `fn` with the Worker's local D1 open (closed afterwards, also on failure). */
export async function withD1<T>(worker: RunningWorker, fn: (d1: Database.Database) => T): Promise<T> {
  const d1 = await openD1(worker);
  try {
    return fn(d1);
  } finally {
    d1.close();
  }
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/**
 * Sign `owner` in the way a new phone does: mint a setup link with the setup secret, register a passkey on a fresh
 * software authenticator through the real WebAuthn ceremony, and keep the session. Returns the cookie and the
 * authenticator (to sign in again or re-verify). The session's passkey counts as verified for 5 minutes.
 */
export async function signInOwner(url: string, setupSecret: string, owner: string): Promise<{ cookie: string; authenticator: SoftAuthenticator }> {
  const authenticator = softAuthenticator();
  const cookie = await registerWithLink(await mintSetupLink(url, setupSecret, owner), authenticator);
  return { cookie, authenticator };
}

/** signInOwner, keeping only the `hearth_session=…` cookie pair. */
export async function signIn(url: string, setupSecret: string, owner: string): Promise<string> {
  return (await signInOwner(url, setupSecret, owner)).cookie;
}

/**
 * Pair an agent for the cookie's owner through the real device flow (code → approve → token). Approving needs the
 * session's passkey verified in the last 5 minutes (reverifyPasskey in scripts/passkey-client.ts renews it). Also
 * returns the spent `userCode` (XXXX-XXXX) and `deviceCode`, for tests that try them again.
 */
export async function pairAgent(
  url: string,
  cookie: string,
  deviceName = 'test-agent',
): Promise<{ token: string; deviceId: string; userCode: string; deviceCode: string }> {
  const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) });
  const code = (await (await expectOk(await post('/api/device/code', { client_id: 'hearth-agent', device_name: deviceName }), 'device/code')).json()) as {
    device_code: string;
    user_code: string;
  };
  await expectOk(await post('/api/device/approve', { user_code: code.user_code }, { cookie, origin: url }), 'device/approve');
  const token = (await (
    await expectOk(
      await post('/api/device/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: code.device_code, client_id: 'hearth-agent' }),
      'device/token',
    )
  ).json()) as { access_token: string; device_id: string };
  return { token: token.access_token, deviceId: token.device_id, userCode: code.user_code, deviceCode: code.device_code };
}
