// The pane-dialog fallback (issue 3) with the REAL CLIs launched WITHOUT Hearth's hook (the agent's cliHooks: false
// test switch): the CLI's own permission dialog becomes a phone approval (source 'screen', the dialog's text), and
// the phone's answer is typed as the CLI's key. Real agent, tmux, Worker, room; a scripted model asks for a touch.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TaskView, type ApprovalView, type Backend } from '../../protocol/index.ts';
import type { RunningAgent } from '../../home-agent/agent.ts';
import { useApprovalHarness } from '../support/approval-harness.ts';
import type { CliName } from '../support/cli-home.ts';
import { waitFor } from '../support/tmux.ts';

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

const h = useApprovalHarness({ label: 'screen-approvals', marker: MARKER, delayMs: 500 });

describe.each(CLIS)('%s without the hook: its dialog is asked from the screen', (cli) => {
  const workspace = () => h.workspace(cli);
  let agent: RunningAgent | undefined;

  beforeAll(async () => {
    ({ agent } = await h.startAgent(cli, { approvalDeadlineMs: DEADLINE_MS, cliHooks: false }));
  });

  afterAll(async () => {
    await agent?.stop();
  });

  async function startTask(): Promise<TaskView> {
    rmSync(join(workspace(), 'approved.txt'), { force: true });
    const body = { workspace: `ws-${cli}`, backend: cli as Backend, prompt: 'Please create approved.txt' };
    return TaskView.parse(await h.json(await h.http.post('/api/tasks', body, h.cookie)));
  }

  async function screenApproval(taskId: string): Promise<ApprovalView> {
    const approval = await waitFor('the screen approval on the phone', async () => (await h.approvalsOf(taskId, 'pending'))[0], 60_000);
    expect(approval.request).toMatchObject({ source: 'screen', tool: DIALOG[cli].tool, summary: 'touch approved.txt', cwd: workspace() });
    expect(approval.request.detail.split('\n')).toContain(DIALOG[cli].line);
    expect((await h.getTask(taskId)).status).toBe('waiting_approval');
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false); // the dialog still holds the command
    return approval;
  }

  test('Allow on the phone presses the allow key: the command runs and the task ends succeeded', async () => {
    const task = await startTask();
    const approval = await screenApproval(task.id);
    expect((await h.decide(approval, 'allow')).status).toBe(200);
    const done = await h.waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(true);
    expect(done.status).toBe('succeeded');
    expect(done.finalScreen!.join('\n')).toContain(MARKER);
    expect(await h.approvalsOf(task.id, 'all')).toHaveLength(1); // one dialog, asked once
  });

  test('Deny on the phone presses the deny key: no file, and the task still ends', async () => {
    const task = await startTask();
    expect((await h.decide(await screenApproval(task.id), 'deny')).status).toBe(200);
    const done = await h.waitEnded(task.id);
    expect(existsSync(join(workspace(), 'approved.txt'))).toBe(false);
    expect(done.status).toBe('succeeded');
    expect(await h.approvalsOf(task.id, 'all')).toHaveLength(1);
  });
});
