// `npm start`: the whole stack on this machine — Worker + local D1 + phone app, PartyKit room, and a home agent
// paired through the real device flow. Prints where to open it; Ctrl-C stops every process it started.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { execa } from 'execa';
import { assertPortFree, startProcess, waitForHttp, type Child } from './dev-process.ts';
import { mintSignInLink, signInWithLink, waitForAgent } from './dev-api.ts';
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
const children: Child[] = [];
const log = (line: string) => console.log(`[hearth] ${line}`);

/** Secrets for the local stack: made once, kept 0600 in the dev dir, handed to wrangler as an env file. */
function devSecrets(): { ROOM_SECRET: string; SETUP_SECRET: string; envFile: string } {
  const envFile = join(devDir, 'worker.env');
  const Secrets = z.object({ ROOM_SECRET: z.string().min(32), SETUP_SECRET: z.string().min(32) });
  if (existsSync(envFile)) {
    const pairs = Object.fromEntries(
      readFileSync(envFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const parsed = Secrets.safeParse(pairs);
    if (parsed.success) return { ...parsed.data, envFile };
  }
  const made = { ROOM_SECRET: randomBytes(32).toString('base64url'), SETUP_SECRET: randomBytes(32).toString('base64url') };
  writeFileSync(envFile, `ROOM_SECRET=${made.ROOM_SECRET}\nSETUP_SECRET=${made.SETUP_SECRET}\n`, { mode: 0o600 });
  return { ...made, envFile };
}

/** A partykit.json for dev whose `vars` carry the room secret, so it never shows in a process list. */
function roomConfig(roomSecret: string): string {
  const file = join(devDir, 'partykit.json');
  const base = z.object({ name: z.string(), compatibilityDate: z.string() }).parse(JSON.parse(readFileSync(join(root, 'partykit.json'), 'utf8')));
  const config = { ...base, main: join(root, 'partykit', 'room.ts'), vars: { ROOM_SECRET: roomSecret } };
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
      'partykit', 'dev', '--config', roomConfig(secrets.ROOM_SECRET), '--port', String(env.HEARTH_ROOM_PORT),
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
  const cookie = await signInWithLink(origin, await mintSignInLink(origin, secrets.SETUP_SECRET, owner));
  await pairAgent(cookie);
  let agentReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (agentReady = resolve));
  const agent = startProcess('agent', 'node', ['home-agent/cli.ts', 'start'], root, agentEnv(), (line) => {
    if (/room: ready/.test(line)) agentReady();
  });
  children.push(agent);
  await Promise.race([ready, agent.exited.then(() => Promise.reject(new Error('the home agent exited')))]);
  const agentName = await waitForAgent(origin, cookie, 60_000);

  const link = await mintSignInLink(origin, secrets.SETUP_SECRET, owner);
  console.log(
    [
      '',
      `  Hearth is running at ${origin}`,
      `  Home agent "${agentName}" is paired and connected (workspace "demo": ${workspace})`,
      '',
      `  Open this one-time sign-in link (valid 10 minutes) on this machine or your phone:`,
      `  ${link}`,
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
