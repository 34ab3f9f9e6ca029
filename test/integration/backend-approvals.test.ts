// Tool approvals from the REAL Claude Code, Codex and Gemini CLIs through the real home agent (runAgent in-process,
// real tmux, the CLIs' own hooks running `hearth hook`) to the REAL Worker and room, with a scripted local model
// that asks for `touch approved.txt`. Allow runs it; deny, no answer and a dead hook channel never do.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApprovalList, TaskView, WorkspaceList, type ApprovalView, type Backend } from '../../protocol/index.ts';
import { runAgent, type AgentConfig, type RunningAgent } from '../../home-agent/agent.ts';
import { killAll } from '../../home-agent/kill-all.ts';
import { findTaskProcesses } from '../../home-agent/process-tree.ts';
import { hookSocketPath, markerValue } from '../../home-agent/task-launch.ts';
import { waitForAgent } from '../../scripts/dev-api.ts';
import { cliEnv, secureTempDir, type CliName } from '../support/cli-home.ts';
import { startModelServer, type ModelServer, type RecordedRequest } from '../support/model-server.ts';
import { startRoom, type RunningRoom } from '../support/room.ts';
import { uniqueSocket, waitFor } from '../support/tmux.ts';
import { pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient } from '../support/worker-http.ts';

/** The approval deadline the agent uses here, in ms (the policy's minimum is minutes; tests need seconds). */
const DEADLINE_MS = 8_000;
const MARKER = 'HEARTH-BACKEND-DONE';
/** What each CLI calls its shell tool in the hook payload. */
const SHELL_TOOL: Record<CliName, string> = { claude: 'Bash', codex: 'Bash', gemini: 'run_shell_command' };
const CLIS = (process.env.HEARTH_TEST_CLIS?.split(',') ?? ['claude', 'codex', 'gemini']) as CliName[];

let root = '';
let room: RunningRoom | undefined;
let worker: RunningWorker | undefined;
let model: ModelServer | undefined;
let cookie = '';
let token = '';
let http: ReturnType<typeof apiClient>;
const tmuxSocket = uniqueSocket('backends');
const logs: string[] = [];

beforeAll(async () => {
  root = await secureTempDir('backend-approvals');
  model = await startModelServer({
    toolCall: { kind: 'shell', command: 'touch approved.txt', description: 'Create approved.txt in the workspace' },
    finalText: `Done. ${MARKER}`,
    delayMs: 800,
  });
  room = await startRoom();
  worker = await startWorker({ partykitHost: room.host, roomSecret: room.roomSecret });
  cookie = await signIn(worker.url, worker.setupSecret, 'backend-approvals-owner');
  ({ token } = await pairAgent(worker.url, cookie, 'backend-agent'));
  http = apiClient(worker.url);
});

afterAll(async () => {
  if (process.env.HEARTH_TEST_LOGS) console.log(logs.join('\n'));
  await killAll({ configDir: join(root, 'agent'), tmuxSocket }).catch(() => undefined);
  await worker?.stop();
  await room?.stop();
  await model?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function json(res: Response): Promise<unknown> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return res.json();
}
const getTask = async (id: string) => TaskView.parse(await json(await http.get(`/api/tasks/${id}`, cookie)));
const approvalsOf = async (taskId: string, status: 'pending' | 'all'): Promise<ApprovalView[]> =>
  ApprovalList.parse(await json(await http.get(`/api/approvals?status=${status}`, cookie))).approvals.filter((a) => a.taskId === taskId);
const waitEnded = (id: string) =>
  waitFor(`task ${id} to end`, async () => {
    const task = await getTask(id);
    return task.endedAt !== null && task.finalScreen !== undefined && task.finalScreen !== null && task;
  }, 75_000);

describe.each(CLIS)('%s asks through its hook', (cli) => {
  const workspace = () => join(root, `ws-${cli}`);
  let agent: RunningAgent | undefined;
  let config: AgentConfig;

  beforeAll(async () => {
    mkdirSync(workspace(), { recursive: true });
    await execa('git', ['init', '-q', workspace()]);
    const env = await cliEnv(cli, { root: join(root, 'cli'), workspace: workspace(), modelUrl: model!.url });
    config = {
      configDir: join(root, 'agent'),
      server: worker!.url,
      accessToken: token,
      workspaces: [{ name: `ws-${cli}`, path: workspace() }],
      maxConcurrent: 1,
      tmuxSocket,
      searchPath: env.PATH!,
    };
    agent = await runAgent(config, {
      taskEnv: env,
      approvalDeadlineMs: DEADLINE_MS,
      heartbeatMs: 2_000,
      log: (line) => logs.push(`[${cli}] ${line}`),
    });
    await waitForAgent(worker!.url, cookie, 60_000);
    // This agent's capabilities (its workspace and backend) are what the Worker admits tasks against.
    await waitFor('the agent to offer its workspace', async () => {
      const list = WorkspaceList.parse(await json(await http.get('/api/workspaces', cookie)));
      return list.workspaces.includes(`ws-${cli}`) && list.backends.includes(cli);
    }, 30_000);
  });

  afterAll(async () => {
    await agent?.stop();
  });

  /** Queue a task for this CLI; return it and the index of the first model request it can have caused. */
  async function startTask(): Promise<{ task: TaskView; from: number }> {
    rmSync(join(workspace(), 'approved.txt'), { force: true });
    const from = model!.requests().length;
    const body = { workspace: `ws-${cli}`, backend: cli as Backend, prompt: 'Please create approved.txt' };
    const task = TaskView.parse(await json(await http.post('/api/tasks', body, cookie)));
    return { task, from };
  }

  async function pendingApproval(taskId: string): Promise<ApprovalView> {
    const approval = await waitFor('the approval on the phone', async () => (await approvalsOf(taskId, 'pending'))[0], 45_000);
    expect(approval.request).toMatchObject({ tool: SHELL_TOOL[cli], summary: 'touch approved.txt', cwd: workspace(), source: 'hook' });
    expect((await getTask(taskId)).status).toBe('waiting_approval');
    return approval;
  }

  const decide = (approval: ApprovalView, decision: 'allow' | 'deny') =>
    http.post(`/api/approvals/${approval.id}/decision`, { decision, inputHash: approval.inputHash }, cookie);

  /** The model requests since `from` that carried a tool result back (the CLI carried on after the decision). */
  const toolResults = (from: number): RecordedRequest[] => model!.requests().slice(from).filter((r) => r.toolResult !== null);

  test('Allow on the phone runs the command, and the task ends succeeded when the CLI is idle', async () => {
    const { task } = await startTask();
    const approval = await pendingApproval(task.id);
    expect((await decide(approval, 'allow')).status).toBe(200);
    const done = await waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(true);
    expect(done.status).toBe('succeeded');
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
    expect(findTaskProcesses({ marker: { value: markerValue(tmuxSocket, task.id) } })).toEqual([]); // the CLI is gone
  });

  test('Deny on the phone: no file; the CLI gets the denial, carries on, and the task still ends', async () => {
    const { task, from } = await startTask();
    expect((await decide(await pendingApproval(task.id), 'deny')).status).toBe(200);
    const done = await waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(done.status).toBe('succeeded');
    expect(toolResults(from).length).toBeGreaterThan(0);
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
  });

  test('no answer: denied at the deadline, no file', async () => {
    const { task } = await startTask();
    const approval = await pendingApproval(task.id);
    const done = await waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(done.status).toBe('succeeded');
    expect((await approvalsOf(task.id, 'all')).find((a) => a.id === approval.id)?.status).toBe('expired');
    expect((await decide(approval, 'allow')).status).toBe(409);
  });

  test('the agent unreachable from the hook (socket gone): denied, no file, nothing asked on the phone', async () => {
    rmSync(hookSocketPath(config.configDir)); // the agent keeps running; its socket can no longer be reached
    const { task, from } = await startTask();
    const done = await waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(await approvalsOf(task.id, 'all')).toEqual([]);
    expect(toolResults(from).length).toBeGreaterThan(0);
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
  });
});
