// The whole local stack for e2e tests and the bench: real PartyKit dev server, real Worker in workerd with the
// real migrations, the built phone app, and the real `hearth` CLI paired through the device flow.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { startRoom } from './room.ts';
import { startRoomRelay, type RoomRelay } from './room-relay.ts';
import { signInOwner, startWorker, type RunningWorker } from './worker.ts';
import type { Page } from 'playwright-core';
import { CreateTaskRequest, TaskView } from '../../protocol/index.ts';
import { waitForAgent } from '../../scripts/dev-api.ts';
import { signInWithPasskey } from '../../scripts/passkey-client.ts';
import { addSessionCookie } from './browser.ts';
import { pairAgentWithCli } from '../../scripts/agent-pairing.ts';
import { startProcess, type Child } from '../../scripts/dev-process.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface Stack {
  origin: string;
  /** The Worker itself: its setup secret (to mint more setup links) and its local D1 (withD1). */
  worker: RunningWorker;
  /** The owner's session cookie, `hearth_session=…`. */
  cookie: string;
  /** A git repository allowlisted as workspace "demo". */
  workspace: string;
  agentEnv: Record<string, string>;
  /** GET /api/tasks/:id as the owner, parsed. */
  fetchTask(id: string): Promise<TaskView>;
  /** POST /api/tasks as the owner from the app's page (cookie + its Origin), parsed; throws unless 201. */
  createTask(body: CreateTaskRequest): Promise<TaskView>;
  /**
   * Sign a browser page in as the owner — a fresh session from a passkey sign-in, its cookie put in the page's
   * context as the Worker would set it — and open the app. (test/e2e/passkey.test.ts runs the ceremony in the page.)
   */
  signInPage(page: Page): Promise<void>;
  /** Pid of the `hearth start` process group leader. */
  agentPid(): number | undefined;
  /** Stops the PartyKit room and starts a fresh one (empty state) on the same port: a network drop for everyone. */
  restartRoom(downMs: number): Promise<void>;
  /** With `roomRelay: true`, the relay every room socket goes through (phones and agent): cut or stall phones' links. */
  roomRelay: RoomRelay | null;
  stop(): Promise<void>;
}

export type StackOptions = {
  maxConcurrent?: number;
  owner?: string;
  /** Extra environment for the agent (and so its tmux server and the CLIs it runs), e.g. from cliEnv(). */
  agentEnv?: Record<string, string>;
  /** Use this directory (e.g. a git repo the test made) as workspace "demo" instead of making one. */
  workspace?: string;
  /** Put test/support/room-relay.ts between the room and everyone (the Worker's PARTYKIT_HOST is the relay). */
  roomRelay?: boolean;
};

let webBuilt = false;

/** Makes `dir` a git repository with one commit (a README). Returns `dir`. */
export async function makeGitWorkspace(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'README.md'), '# demo\n');
  const git = (...args: string[]) => execa('git', args, { cwd: dir });
  await git('init', '-q');
  await git('add', '.');
  await git('-c', 'user.name=Hearth Test', '-c', 'user.email=test@hearth.invalid', 'commit', '-qm', 'first');
  return dir;
}

/** Builds the phone app once per test process (the Worker serves web/dist). */
export async function buildWeb(): Promise<void> {
  if (webBuilt) return;
  await execa('node', ['scripts/build-web.ts'], { cwd: repoRoot });
  webBuilt = true;
}

/** Starts everything; `stop()` ends every process it started, task windows included. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error('stack cleanup:', e));
  };
  try {
    await buildWeb();
    let room = await startRoom();
    cleanups.push(() => room.stop());
    const relay = opts.roomRelay ? await startRoomRelay(room.host) : null;
    if (relay) cleanups.push(() => relay.close());
    const partykitHost = relay?.host ?? room.host;
    const worker = await startWorker({ partykitHost, roomSecret: room.roomSecret, ticketSecret: room.ticketSecret });
    cleanups.push(() => worker.stop());
    const origin = worker.url.replace(/\/$/, '');
    const owner = opts.owner ?? 'e2e-owner';
    const { cookie, authenticator } = await signInOwner(origin, worker.setupSecret, owner);

    const dir = mkdtempSync(join(tmpdir(), 'hearth-stack-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const agentHome = join(dir, 'agent');
    mkdirSync(agentHome, { mode: 0o700 });
    const workspace = opts.workspace ?? (await makeGitWorkspace(join(dir, 'demo')));

    const tmuxSocket = `hearth-test-${process.pid}-${Date.now().toString(36)}`;
    const config = { server: origin, workspaces: [{ name: 'demo', path: workspace }], maxConcurrent: opts.maxConcurrent ?? 2, tmuxSocket };
    writeFileSync(join(agentHome, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    const agentEnv = { ...opts.agentEnv, HEARTH_HOME: agentHome, HEARTH_SERVER: origin, HEARTH_TMUX_SOCKET: tmuxSocket };
    cleanups.push(() => execa('node', ['home-agent/cli.ts', 'kill-all'], { cwd: repoRoot, env: agentEnv, reject: false }));

    await pairAgentWithCli({ root: repoRoot, env: agentEnv, origin, cookie, name: 'test-agent' });
    const agent: Child = startProcess('agent', 'node', ['home-agent/cli.ts', 'start'], repoRoot, agentEnv);
    cleanups.push(() => agent.stop());
    await waitForAgent(origin, cookie, 60_000);

    return {
      origin,
      worker,
      cookie,
      workspace,
      agentEnv,
      async fetchTask(id) {
        const res = await fetch(`${origin}/api/tasks/${id}`, { headers: { cookie } });
        return TaskView.parse(await res.json());
      },
      async createTask(body) {
        const res = await fetch(`${origin}/api/tasks`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/json' },
          body: JSON.stringify(CreateTaskRequest.parse(body)),
        });
        if (res.status !== 201) throw new Error(`create task: HTTP ${res.status} ${await res.text()}`);
        return TaskView.parse(await res.json());
      },
      async signInPage(page) {
        await addSessionCookie(page.context(), origin, await signInWithPasskey(origin, authenticator));
        await page.goto(origin);
      },
      agentPid: () => agent.pid,
      roomRelay: relay,
      async restartRoom(downMs) {
        const { port, roomSecret, ticketSecret } = room;
        await room.stop();
        await new Promise((r) => setTimeout(r, downMs));
        room = await startRoom({ port, roomSecret, ticketSecret });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
