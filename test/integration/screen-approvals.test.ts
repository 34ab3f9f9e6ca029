// The pane-dialog fallback (issue 3) with the REAL CLIs launched WITHOUT Hearth's hook (the agent's cliHooks: false
// test switch): the CLI's own permission dialog becomes a phone approval (source 'screen', the dialog's text), and
// the phone's answer is typed as the CLI's key. Real agent, tmux, Worker, room; a scripted model asks for a touch.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApprovalList, TaskView, WorkspaceList, type ApprovalView, type Backend } from '../../protocol/index.ts';
import { runAgent, type RunningAgent } from '../../home-agent/agent.ts';
import { killAll } from '../../home-agent/kill-all.ts';
import { waitForAgent } from '../../scripts/dev-api.ts';
import { cliEnv, secureTempDir, type CliName } from '../support/cli-home.ts';
import { startModelServer, type ModelServer } from '../support/model-server.ts';
import { startRoom, type RunningRoom } from '../support/room.ts';
import { uniqueSocket, waitFor } from '../support/tmux.ts';
import { pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient } from '../support/worker-http.ts';

/** The approval deadline the agent uses here, in ms: long enough for the test to answer. */
const DEADLINE_MS = 30_000;
const MARKER = 'HEARTH-SCREEN-DONE';
/** Each CLI's dialog: its title as the approval's tool, and a line of its text (docs/cli-backends.md). */
const DIALOG: Record<CliName, { tool: string; line: string }> = {
  claude: { tool: 'Bash command', line: 'Do you want to proceed?' },
  codex: { tool: 'dialog', line: 'Would you like to run the following command?' },
  gemini: { tool: 'Shell', line: 'Allow execution of [Shell]?' },
};
const CLIS = (process.env.HEARTH_TEST_CLIS?.split(',') ?? ['claude', 'codex', 'gemini']) as CliName[];

let root = '';
let room: RunningRoom | undefined;
let worker: RunningWorker | undefined;
let model: ModelServer | undefined;
let cookie = '';
let token = '';
let http: ReturnType<typeof apiClient>;
const tmuxSocket = uniqueSocket('screens');
const logs: string[] = [];

beforeAll(async () => {
  root = await secureTempDir('screen-approvals');
  model = await startModelServer({
    toolCall: { kind: 'shell', command: 'touch approved.txt', description: 'Create approved.txt in the workspace' },
    finalText: `Done. ${MARKER}`,
    delayMs: 500,
  });
  room = await startRoom();
  worker = await startWorker({ partykitHost: room.host, roomSecret: room.roomSecret });
  cookie = await signIn(worker.url, worker.setupSecret, 'screen-approvals-owner');
  ({ token } = await pairAgent(worker.url, cookie, 'screen-agent'));
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

describe.each(CLIS)('%s without the hook: its dialog is asked from the screen', (cli) => {
  const workspace = () => join(root, `ws-${cli}`);
  let agent: RunningAgent | undefined;

  beforeAll(async () => {
    mkdirSync(workspace(), { recursive: true });
    await execa('git', ['init', '-q', workspace()]);
    const env = await cliEnv(cli, { root: join(root, 'cli'), workspace: workspace(), modelUrl: model!.url });
    agent = await runAgent(
      {
        configDir: join(root, 'agent'),
        server: worker!.url,
        accessToken: token,
        workspaces: [{ name: `ws-${cli}`, path: workspace() }],
        maxConcurrent: 1,
        tmuxSocket,
        searchPath: env.PATH!,
      },
      { taskEnv: env, approvalDeadlineMs: DEADLINE_MS, heartbeatMs: 2_000, cliHooks: false, log: (line) => logs.push(`[${cli}] ${line}`) },
    );
    await waitForAgent(worker!.url, cookie, 60_000);
    await waitFor('the agent to offer its workspace', async () => {
      const list = WorkspaceList.parse(await json(await http.get('/api/workspaces', cookie)));
      return list.workspaces.includes(`ws-${cli}`) && list.backends.includes(cli);
    }, 30_000);
  });

  afterAll(async () => {
    await agent?.stop();
  });

  async function startTask(): Promise<TaskView> {
    rmSync(join(workspace(), 'approved.txt'), { force: true });
    const body = { workspace: `ws-${cli}`, backend: cli as Backend, prompt: 'Please create approved.txt' };
    return TaskView.parse(await json(await http.post('/api/tasks', body, cookie)));
  }

  async function screenApproval(taskId: string): Promise<ApprovalView> {
    const approval = await waitFor('the screen approval on the phone', async () => (await approvalsOf(taskId, 'pending'))[0], 60_000);
    expect(approval.request).toMatchObject({ source: 'screen', tool: DIALOG[cli].tool, summary: 'touch approved.txt', cwd: workspace() });
    expect(approval.request.detail.split('\n')).toContain(DIALOG[cli].line);
    expect((await getTask(taskId)).status).toBe('waiting_approval');
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false); // the dialog still holds the command
    return approval;
  }

  const decide = (approval: ApprovalView, decision: 'allow' | 'deny') =>
    http.post(`/api/approvals/${approval.id}/decision`, { decision, inputHash: approval.inputHash }, cookie);

  test('Allow on the phone presses the allow key: the command runs and the task ends succeeded', async () => {
    const task = await startTask();
    const approval = await screenApproval(task.id);
    expect((await decide(approval, 'allow')).status).toBe(200);
    const done = await waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(true);
    expect(done.status).toBe('succeeded');
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
    expect(await approvalsOf(task.id, 'all')).toHaveLength(1); // one dialog, asked once
  });

  test('Deny on the phone presses the deny key: no file, and the task still ends', async () => {
    const task = await startTask();
    expect((await decide(await screenApproval(task.id), 'deny')).status).toBe(200);
    const done = await waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(done.status).toBe('succeeded');
    expect(await approvalsOf(task.id, 'all')).toHaveLength(1);
  });
});
