// Tool approvals from the REAL Claude Code, Codex and Gemini CLIs through the real home agent (runAgent in-process,
// real tmux, the CLIs' own hooks running `hearth hook`) to the REAL Worker and room, with a scripted local model
// that asks for `touch approved.txt`. Allow runs it; deny, no answer and a dead hook channel never do.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TaskView, type ApprovalView, type Backend } from '../../protocol/index.ts';
import type { AgentConfig, RunningAgent } from '../../home-agent/agent.ts';
import { findTaskProcesses } from '../../home-agent/process-tree.ts';
import { hookSocketPath, markerValue } from '../../home-agent/task-launch.ts';
import { useApprovalHarness } from '../support/approval-harness.ts';
import type { CliName } from '../support/cli-home.ts';
import type { RecordedRequest } from '../support/model-server.ts';
import { waitFor } from '../support/tmux.ts';

/** The approval deadline the agent uses here, in ms (the policy's minimum is minutes; tests need seconds). */
const DEADLINE_MS = 8_000;
const MARKER = 'HEARTH-BACKEND-DONE';
/** What each CLI calls its shell tool in the hook payload. */
const SHELL_TOOL: Record<CliName, string> = { claude: 'Bash', codex: 'Bash', gemini: 'run_shell_command' };
const CLIS = (process.env.HEARTH_TEST_CLIS?.split(',') ?? ['claude', 'codex', 'gemini']) as CliName[];

const h = useApprovalHarness({ label: 'backend-approvals', marker: MARKER, delayMs: 800 });

describe.each(CLIS)('%s asks through its hook', (cli) => {
  const workspace = () => h.workspace(cli);
  let agent: RunningAgent | undefined;
  let config: AgentConfig;

  beforeAll(async () => {
    ({ agent, config } = await h.startAgent(cli, { approvalDeadlineMs: DEADLINE_MS }));
  });

  afterAll(async () => {
    await agent?.stop();
  });

  /** Queue a task for this CLI; return it and the index of the first h.model request it can have caused. */
  async function startTask(): Promise<{ task: TaskView; from: number }> {
    rmSync(join(workspace(), 'approved.txt'), { force: true });
    const from = h.model.requests().length;
    const body = { workspace: `ws-${cli}`, backend: cli as Backend, prompt: 'Please create approved.txt' };
    const task = TaskView.parse(await h.json(await h.http.post('/api/tasks', body, h.cookie)));
    return { task, from };
  }

  async function pendingApproval(taskId: string): Promise<ApprovalView> {
    const approval = await waitFor('the approval on the phone', async () => (await h.approvalsOf(taskId, 'pending'))[0], 45_000);
    expect(approval.request).toMatchObject({ tool: SHELL_TOOL[cli], summary: 'touch approved.txt', cwd: workspace(), source: 'hook' });
    expect((await h.getTask(taskId)).status).toBe('waiting_approval');
    return approval;
  }

  /** The h.model requests since `from` that carried a tool result back (the CLI carried on after the decision). */
  const toolResults = (from: number): RecordedRequest[] => h.model.requests().slice(from).filter((r) => r.toolResult !== null);

  test('Allow on the phone runs the command, and the task ends succeeded when the CLI is idle', async () => {
    const { task } = await startTask();
    const approval = await pendingApproval(task.id);
    expect((await h.decide(approval, 'allow')).status).toBe(200);
    const done = await h.waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(true);
    expect(done.status).toBe('succeeded');
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
    expect(findTaskProcesses({ marker: { value: markerValue(h.tmuxSocket, task.id) } })).toEqual([]); // the CLI is gone
  });

  test('Deny on the phone: no file; the CLI gets the denial, carries on, and the task still ends', async () => {
    const { task, from } = await startTask();
    expect((await h.decide(await pendingApproval(task.id), 'deny')).status).toBe(200);
    const done = await h.waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(done.status).toBe('succeeded');
    expect(toolResults(from).length).toBeGreaterThan(0);
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
  });

  test('no answer: denied at the deadline, no file', async () => {
    const { task } = await startTask();
    const approval = await pendingApproval(task.id);
    const done = await h.waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(done.status).toBe('succeeded');
    expect((await h.approvalsOf(task.id, 'all')).find((a) => a.id === approval.id)?.status).toBe('expired');
    expect((await h.decide(approval, 'allow')).status).toBe(409);
  });

  test('the agent unreachable from the hook (socket gone): denied, no file, nothing asked on the phone', async () => {
    rmSync(hookSocketPath(config.configDir)); // the agent keeps running; its socket can no longer be reached
    const { task, from } = await startTask();
    const done = await h.waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(await h.approvalsOf(task.id, 'all')).toEqual([]);
    expect(toolResults(from).length).toBeGreaterThan(0);
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
  });
});
