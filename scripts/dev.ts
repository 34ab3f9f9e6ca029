// `npm start`: the whole stack on this machine — Worker + local D1 + phone app, PartyKit room, and a home agent
// paired through the real device flow. Prints where to open it; Ctrl-C stops every process it started.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { execa } from 'execa';
import webpush from 'web-push';
import { assertPortFree, startProcess, waitForHttp, type Child } from './dev-process.ts';
import { waitForAgent } from './dev-api.ts';
import { devOwnerSession } from './dev-passkey.ts';
import { mintSetupLink } from './passkey-client.ts';
import { pairAgentWithCli } from './agent-pairing.ts';

const DevEnv = z.object({
  HEARTH_PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HEARTH_ROOM_PORT: z.coerce.number().int().min(1).max(65535).default(1999),
  HEARTH_DEV_DIR: z.string().default('.hearth-dev'),
});

const root = resolve(import.meta.dirname, '..');
const env = DevEnv.parse(process.env);
const devDir = resolve(root, env.HEARTH_DEV_DIR);
const agentHome = join(devDir, 'agent');
const workspace = join(devDir, 'workspaces', 'demo');
const tmuxSocket = 'hearth-dev';
const origin = `http://127.0.0.1:${env.HEARTH_PORT}`;
/** Where a browser opens the app: browsers refuse an IP address as a passkey's rpId, so localhost, not 127.0.0.1. */
const appOrigin = `http://localhost:${env.HEARTH_PORT}`;
const children: Child[] = [];
const log = (line: string) => console.log(`[hearth] ${line}`);

/** The local stack's secrets: the notify bearer and the ticket HMAC key (both shared with the room), and the setup secret. */
const SECRET_NAMES = ['ROOM_SECRET', 'TICKET_SECRET', 'SETUP_SECRET'] as const;
type DevSecrets = Record<(typeof SECRET_NAMES)[number], string>;

/** Web Push for the local stack: a VAPID key pair made once, and local push endpoints allowed (a test stand-in). */
const PUSH_NAMES = ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT', 'PUSH_ALLOW_LOCAL_ENDPOINTS'] as const;
type DevPush = Record<(typeof PUSH_NAMES)[number], string>;

/** The dev Worker's push vars: the kept key pair, or a new one when either key is missing. */
function devPush(pairs: Map<string, string>): DevPush {
  const publicKey = pairs.get('VAPID_PUBLIC_KEY');
  const privateKey = pairs.get('VAPID_PRIVATE_KEY');
  const keys = publicKey && privateKey ? { publicKey, privateKey } : webpush.generateVAPIDKeys();
  return {
    VAPID_PUBLIC_KEY: keys.publicKey,
    VAPID_PRIVATE_KEY: keys.privateKey,
    VAPID_SUBJECT: pairs.get('VAPID_SUBJECT') ?? 'mailto:hearth-dev@example.com',
    PUSH_ALLOW_LOCAL_ENDPOINTS: 'true',
  };
}

/**
 * Secrets for the local stack: made once (32 random bytes each, and a VAPID key pair), kept 0600 in the dev dir and
 * handed to wrangler as an env file, never on a command line. A secret missing from an older file is added; the
 * others are kept.
 */
function devSecrets(): DevSecrets & { envFile: string } {
  const envFile = join(devDir, 'worker.env');
  const lines = existsSync(envFile) ? readFileSync(envFile, 'utf8').split('\n').filter((l) => l.includes('=')) : [];
  const pairs = new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const Secret = z.string().min(32);
  let changed = false;
  const secret = (name: (typeof SECRET_NAMES)[number]): string => {
    const kept = Secret.safeParse(pairs.get(name));
    if (kept.success) return kept.data;
    changed = true;
    return randomBytes(32).toString('base64url');
  };
  const secrets: DevSecrets = { ROOM_SECRET: secret('ROOM_SECRET'), TICKET_SECRET: secret('TICKET_SECRET'), SETUP_SECRET: secret('SETUP_SECRET') };
  const push = devPush(pairs);
  if (PUSH_NAMES.some((name) => pairs.get(name) !== push[name])) changed = true;
  if (changed) {
    const vars: Record<string, string> = { ...secrets, ...push };
    writeFileSync(envFile, Object.entries(vars).map(([name, value]) => `${name}=${value}\n`).join(''), { mode: 0o600 });
    chmodSync(envFile, 0o600);
  }
  return { ...secrets, envFile };
}

/** A partykit.json for dev whose `vars` carry the room's two secrets, so they never show in a process list. */
function roomConfig(secrets: DevSecrets): string {
  const file = join(devDir, 'partykit.json');
  const base = z.object({ name: z.string(), compatibilityDate: z.string() }).parse(JSON.parse(readFileSync(join(root, 'partykit.json'), 'utf8')));
  const vars = { ROOM_SECRET: secrets.ROOM_SECRET, TICKET_SECRET: secrets.TICKET_SECRET };
  const config = { ...base, main: join(root, 'partykit', 'room.ts'), vars };
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

async function prepareWorkspace(): Promise<void> {
  if (existsSync(join(workspace, '.git'))) return;
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# demo\nA workspace the local Hearth agent may run tasks in.\n');
  await execa('git', ['init', '-q'], { cwd: workspace });
}

function writeAgentConfig(): void {
  mkdirSync(agentHome, { recursive: true, mode: 0o700 });
  chmodSync(agentHome, 0o700);
  const configFile = join(agentHome, 'config.json');
  if (existsSync(configFile)) return; // the owner's edits (more workspaces) are kept
  const config = { server: origin, workspaces: [{ name: 'demo', path: workspace }], maxConcurrent: 2, tmuxSocket };
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

const agentEnv = () => ({ HEARTH_HOME: agentHome, HEARTH_SERVER: origin, HEARTH_TMUX_SOCKET: tmuxSocket });

/** Pairs the agent through RFC 8628 unless it already holds a token. */
async function pairAgent(cookie: string): Promise<void> {
  const tokenFile = join(agentHome, 'token.json');
  if (existsSync(tokenFile)) {
    const issued = z.object({ server: z.string() }).safeParse(JSON.parse(readFileSync(tokenFile, 'utf8')));
    if (issued.success && issued.data.server === origin) return;
    log(`the agent's token was issued by another server than ${origin}: pairing again`);
  }
  log('pairing the home agent (device flow)…');
  const { userCode } = await pairAgentWithCli({ root, env: agentEnv(), origin, cookie, name: hostname() });
  log(`agent paired (user_code ${userCode} approved)`);
}

async function stopAll(): Promise<void> {
  await execa('node', ['home-agent/cli.ts', 'kill-all'], { cwd: root, env: agentEnv(), reject: false });
  await Promise.all(children.map((c) => c.stop()));
}

async function main(): Promise<void> {
  await assertPortFree(env.HEARTH_PORT, 'HEARTH_PORT');
  await assertPortFree(env.HEARTH_ROOM_PORT, 'HEARTH_ROOM_PORT');
  mkdirSync(devDir, { recursive: true, mode: 0o700 });
  const secrets = devSecrets();
  await prepareWorkspace();
  writeAgentConfig();

  log('building the phone app…');
  await execa('node', ['scripts/build-web.ts'], { cwd: root, stdio: 'inherit' });
  log('applying D1 migrations (local)…');
  const persist = join(devDir, 'state');
  await execa('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    cwd: root,
    stdio: 'inherit',
    env: { CI: 'true' },
  });

  children.push(
    startProcess('room', 'npx', [
      'partykit', 'dev', '--config', roomConfig(secrets), '--port', String(env.HEARTH_ROOM_PORT),
      '--persist', join(devDir, 'room'), '--disable-request-cf-fetch', '--no-hotkeys',
    ], root),
    startProcess('worker', 'npx', [
      'wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(env.HEARTH_PORT), '--persist-to', persist,
      '--env-file', secrets.envFile, '--var', `PARTYKIT_HOST:127.0.0.1:${env.HEARTH_ROOM_PORT}`,
      '--show-interactive-dev-session=false',
    ], root, { CLOUDFLARE_CF_FETCH_ENABLED: 'false' }),
  );
  await waitForHttp(`${origin}/api/me`, 90_000);
  await waitForHttp(`http://127.0.0.1:${env.HEARTH_ROOM_PORT}/parties/main/probe`, 90_000);

  const owner = userInfo().username || 'owner';
  const devPasskey = join(devDir, 'dev-passkey.json');
  const cookie = await devOwnerSession({ origin, setupSecret: secrets.SETUP_SECRET, owner, file: devPasskey, log });
  await pairAgent(cookie);
  let agentReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (agentReady = resolve));
  const agent = startProcess('agent', 'node', ['home-agent/cli.ts', 'start'], root, agentEnv(), (line) => {
    if (/room: ready/.test(line)) agentReady();
  });
  children.push(agent);
  await Promise.race([ready, agent.exited.then(() => Promise.reject(new Error('the home agent exited')))]);
  const agentName = await waitForAgent(origin, cookie, 60_000);

  const link = await mintSetupLink(appOrigin, secrets.SETUP_SECRET, owner);
  console.log(
    [
      '',
      `  Hearth is running at ${appOrigin}`,
      `  Home agent "${agentName}" is paired and connected (workspace "demo": ${workspace})`,
      '',
      `  To create your passkey, open this one-time setup link (valid 10 minutes) in a browser on this machine:`,
      `  ${link}`,
      `  Once you have one, sign in at ${appOrigin} with "Sign in with a passkey".`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await stopAll().catch((e: unknown) => console.error(e));
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main()
  .then(() => {
    for (const c of children) {
      c.exited
        .then(() => {
          if (stopping) return;
          log(`${c.name} exited unexpectedly`);
          return shutdown(1);
        })
        .catch((e: unknown) => console.error(e));
    }
  })
  .catch((error: unknown) => {
    console.error(`[hearth] npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    return shutdown(1);
  });
