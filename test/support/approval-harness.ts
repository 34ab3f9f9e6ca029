// Shared set-up for the real-CLI approval tests: a scripted model, the real room and Worker, a signed-in owner, and
// one real home agent per CLI (runAgent in-process) over a private tmux server. Registers its own vitest hooks.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { ApprovalList, TaskView, WorkspaceList, type ApprovalView } from '../../protocol/index.ts';
import { runAgent, type AgentConfig, type AgentDeps, type RunningAgent } from '../../home-agent/agent.ts';
import { killAll } from '../../home-agent/kill-all.ts';
import { waitForAgent } from '../../scripts/dev-api.ts';
import { cliEnv, secureTempDir, type CliName } from './cli-home.ts';
import { startModelServer, type ModelServer } from './model-server.ts';
import { startRoom, type RunningRoom } from './room.ts';
import { uniqueSocket, waitFor } from './tmux.ts';
import { pairAgent, signIn, startWorker, type RunningWorker } from './worker.ts';
import { apiClient } from './worker-http.ts';

export type ApprovalHarness = {
  root: string;
  model: ModelServer;
  worker: RunningWorker;
  cookie: string;
  http: ReturnType<typeof apiClient>;
  tmuxSocket: string;
  logs: string[];
  /** The body of a 2xx response; throws with the status and body otherwise. */
  json(res: Response): Promise<unknown>;
  getTask(id: string): Promise<TaskView>;
  approvalsOf(taskId: string, status: 'pending' | 'all'): Promise<ApprovalView[]>;
  /** POST the owner's decision on `approval` (bound to its inputHash); the raw response. */
  decide(approval: ApprovalView, decision: 'allow' | 'deny'): Promise<Response>;
  /** Waits (≤ 75 s) until the task has ended and its final screen is stored. */
  waitEnded(id: string): Promise<TaskView>;
  /** The workspace (a git repo) of `cli`'s agent. */
  workspace(cli: CliName): string;
  /**
   * Starts `cli`'s agent with `deps` and waits until the Worker admits tasks for its workspace and backend. Its
   * config is `overrides` over the harness's (keepOpenMinutes 0 unless given: a CLI quits when its turn is over).
   */
  startAgent(cli: CliName, deps: Partial<AgentDeps>, overrides?: Partial<AgentConfig>): Promise<{ agent: RunningAgent; config: AgentConfig }>;
};

/**
 * Call at a test file's top level. `label` names the temp dir, owner, agent and tmux socket; the model asks for
 * `touch approved.txt` and ends its turn with `marker` (a message holding `<echoTag>:<word>` is answered at once).
 */
export function useApprovalHarness(opts: { label: string; marker: string; delayMs: number; echoTag?: string }): ApprovalHarness {
  const h = { tmuxSocket: uniqueSocket(opts.label), logs: [] as string[] } as ApprovalHarness;
  let room: RunningRoom | undefined;
  let token = '';

  h.json = async (res) => {
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return res.json();
  };
  h.getTask = async (id) => TaskView.parse(await h.json(await h.http.get(`/api/tasks/${id}`, h.cookie)));
  h.approvalsOf = async (taskId, status) =>
    ApprovalList.parse(await h.json(await h.http.get(`/api/approvals?status=${status}`, h.cookie))).approvals.filter((a) => a.taskId === taskId);
  h.decide = (approval, decision) =>
    h.http.post(`/api/approvals/${approval.id}/decision`, { decision, inputHash: approval.inputHash }, h.cookie);
  h.waitEnded = (id) =>
    waitFor(`task ${id} to end`, async () => {
      const task = await h.getTask(id);
      return task.endedAt !== null && task.finalScreen !== undefined && task.finalScreen !== null && task;
    }, 75_000);
  h.workspace = (cli) => join(h.root, `ws-${cli}`);
  h.startAgent = async (cli, deps, overrides = {}) => {
    mkdirSync(h.workspace(cli), { recursive: true });
    await execa('git', ['init', '-q', h.workspace(cli)]);
    const env = await cliEnv(cli, { root: join(h.root, 'cli'), workspace: h.workspace(cli), modelUrl: h.model.url });
    const config: AgentConfig = {
      configDir: join(h.root, 'agent'),
      server: h.worker.url,
      accessToken: token,
      workspaces: [{ name: `ws-${cli}`, path: h.workspace(cli) }],
      maxConcurrent: 1,
      tmuxSocket: h.tmuxSocket,
      searchPath: env.PATH!,
      keepOpenMinutes: 0,
      ...overrides,
    };
    const agent = await runAgent(config, { taskEnv: env, heartbeatMs: 2_000, log: (line) => h.logs.push(`[${cli}] ${line}`), ...deps });
    await waitForAgent(h.worker.url, h.cookie, 60_000);
    // This agent's capabilities (its workspace and backend) are what the Worker admits tasks against.
    await waitFor('the agent to offer its workspace', async () => {
      const list = WorkspaceList.parse(await h.json(await h.http.get('/api/workspaces', h.cookie)));
      return list.workspaces.includes(`ws-${cli}`) && list.backends.includes(cli);
    }, 30_000);
    return { agent, config };
  };

  beforeAll(async () => {
    h.root = await secureTempDir(opts.label);
    h.model = await startModelServer({
      toolCall: { kind: 'shell', command: 'touch approved.txt', description: 'Create approved.txt in the workspace' },
      finalText: `Done. ${opts.marker}`,
      delayMs: opts.delayMs,
      ...(opts.echoTag ? { echoTag: opts.echoTag } : {}),
    });
    room = await startRoom();
    h.worker = await startWorker({ partykitHost: room.host, roomSecret: room.roomSecret, ticketSecret: room.ticketSecret });
    h.cookie = await signIn(h.worker.url, h.worker.setupSecret, `${opts.label}-owner`);
    ({ token } = await pairAgent(h.worker.url, h.cookie, `${opts.label}-agent`));
    h.http = apiClient(h.worker.url);
  });

  afterAll(async () => {
    if (process.env.HEARTH_TEST_LOGS) console.log(h.logs.join('\n'));
    if (h.root) await killAll({ configDir: join(h.root, 'agent'), tmuxSocket: h.tmuxSocket }).catch(() => undefined);
    await h.worker?.stop();
    await room?.stop();
    await h.model?.stop();
    if (h.root) rmSync(h.root, { recursive: true, force: true });
  });

  return h;
}
