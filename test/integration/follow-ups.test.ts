// Follow-up messages (issue 3) with the REAL Claude Code, Codex and Gemini CLIs through the real home agent (runAgent
// in-process, real tmux) to the REAL Worker and room, with a scripted local model that answers `FOLLOW-ECHO:<word>` with
// `FOLLOW-ECHO-ANSWER:<word>`: a turn ends with the window kept open, a follow-up is typed into that same window and
// continues the same conversation, and the window closes (CLI quit, no process left) on close or when its time is up.
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { TaskView, type Backend } from '../../protocol/index.ts';
import type { RunningAgent } from '../../home-agent/agent.ts';
import { findTaskProcesses } from '../../home-agent/process-tree.ts';
import { markerValue } from '../../home-agent/task-launch.ts';
import { listPanes } from '../../home-agent/tmux.ts';
import { captureScreen } from '../../home-agent/pane-capture.ts';
import { useApprovalHarness } from '../support/approval-harness.ts';
import type { CliName } from '../support/cli-home.ts';
import { connectPhone } from '../support/phone.ts';
import { waitFor } from '../support/tmux.ts';

const TAG = 'FOLLOW-ECHO';
const CLIS = (process.env.HEARTH_TEST_CLIS?.split(',') ?? ['claude', 'codex', 'gemini']) as CliName[];
/** A CLI turn on a loaded machine, in ms. */
const TURN_MS = 60_000;

/** The model's answer after a tool ran (the follow-up that asks for one has no echo tag). */
const TOOL_MARKER = 'FOLLOW-TOOL-DONE';
const h = useApprovalHarness({ label: 'follow-ups', marker: TOOL_MARKER, delayMs: 800, echoTag: TAG });

describe.each(CLIS)('%s keeps its window open for a follow-up', (cli) => {
  let agent: RunningAgent | undefined;
  /** Each CLI's agent has its own state dir: windows it holds open are its own. */
  const start = async (keepOpenMinutes: number): Promise<void> => {
    ({ agent } = await h.startAgent(cli, { idleStableMs: 1_000 }, { keepOpenMinutes, configDir: join(h.root, `agent-${cli}`) }));
  };
  const restart = async (keepOpenMinutes: number): Promise<void> => {
    await agent?.stop();
    agent = undefined;
    await start(keepOpenMinutes);
  };

  beforeAll(() => start(5));
  afterAll(async () => {
    await agent?.stop();
  });

  const answer = (word: string): string => `${TAG}-ANSWER:${word}`;
  /** A write as the owner from the app's page (the Worker wants its Origin on signed-in writes). */
  const post = (path: string, body?: unknown) => h.http.post(path, body, h.cookie, { origin: h.worker.url });
  const createTask = async (word: string): Promise<TaskView> => {
    const body = { workspace: `ws-${cli}`, backend: cli as Backend, prompt: `Please reply to ${TAG}:${word}` };
    return TaskView.parse(await h.json(await post('/api/tasks', body)));
  };
  const sendFollowUp = (taskId: string, word: string) =>
    post(`/api/tasks/${taskId}/follow-ups`, { id: randomUUID(), text: `And now ${TAG}:${word}` });
  /** The task succeeded with its window open and `word`'s answer on its final screen. */
  const waitOpen = (taskId: string, word: string) =>
    waitFor(`task ${taskId} open after answering ${word}`, async () => {
      const task = await h.getTask(taskId);
      const done = task.status === 'succeeded' && (task.finalScreen ?? []).join('\n').includes(answer(word));
      return done && task;
    }, TURN_MS).catch(async (error: unknown) => {
      const [pane] = await windowsOf(taskId);
      const screen = pane ? (await captureScreen(h.tmuxSocket, pane.paneId))?.rows.join('\n') : '(no window)';
      throw new Error(`${String(error)}; its screen:\n${screen}`);
    });
  /** The task's tmux windows (by the window name task-launch.ts gives it). */
  const windowsOf = async (taskId: string) => (await listPanes(h.tmuxSocket)).filter((p) => p.windowName === `task-${taskId.slice(0, 8)}`);
  const processesOf = (taskId: string) => findTaskProcesses({ marker: { value: markerValue(h.tmuxSocket, taskId) } });
  /** The window is gone and no process of the task is left. */
  const waitClosed = (taskId: string, timeoutMs = 30_000) =>
    waitFor(`task ${taskId}'s window and processes to go`, async () => (await windowsOf(taskId)).length === 0 && processesOf(taskId).length === 0, timeoutMs);

  test('a turn ends open; a follow-up runs in the same window and conversation; close quits the CLI', { timeout: 240_000 }, async () => {
    const task = await createTask('first');
    const first = await waitOpen(task.id, 'first');
    expect(first.openUntil).toBeGreaterThan(Date.now());
    const [window] = await windowsOf(task.id);
    expect(window?.dead).toBe(false);
    expect(processesOf(task.id).length).toBeGreaterThan(0); // the CLI still runs

    // A phone watching the open window sees the follow-up's turn live: the pane stream kept running.
    const phone = await connectPhone(h.worker.url, h.cookie);
    onTestFinished(() => phone.close());
    phone.subscribe(task.id);
    const onPhone = () => (phone.screen(task.id)?.rows ?? []).join('\n');
    await waitFor('the open window on the phone', () => onPhone().includes(answer('first')), 20_000);
    const fromRequest = h.model.requests().length;
    expect((await sendFollowUp(task.id, 'second')).status).toBe(201);
    await waitFor('the follow-up turn on the phone', () => onPhone().includes(answer('second')), TURN_MS);
    const second = await waitOpen(task.id, 'second');
    expect(second.openUntil).toBeGreaterThan(Date.now());
    expect(second.followUps?.map((f) => f.status)).toEqual(['delivered']);
    expect(await windowsOf(task.id)).toEqual([window]); // the same window and pane, still one
    // The model's next turn carried the whole conversation: the first prompt and answer, then the follow-up.
    const asked = h.model.requests().slice(fromRequest).find((r) => r.turn === 'echo' && JSON.stringify(r.body).includes(`${TAG}:second`));
    expect(asked, 'a model request holding the follow-up').toBeDefined();
    const conversation = JSON.stringify(asked?.body);
    expect(conversation).toContain(`${TAG}:first`);
    expect(conversation).toContain(answer('first'));

    expect((await post(`/api/tasks/${task.id}/close`)).status).toBe(200);
    await waitClosed(task.id);
    expect((await h.getTask(task.id)).openUntil ?? null).toBeNull();
    const closedLog = h.logs.filter((l) => l.includes(`task ${task.id}`)).join('\n');
    expect(closedLog).toContain('window closed (closed by the owner)');
    expect(closedLog).not.toContain('did not quit'); // its quit command ended it; nothing had to be killed first
    expect((await sendFollowUp(task.id, 'late')).status).toBe(409);
  });

  test('an agent restarted while a window is open adopts it, and a follow-up still works', { timeout: 240_000 }, async () => {
    const task = await createTask('before-restart');
    await waitOpen(task.id, 'before-restart');
    const before = await windowsOf(task.id);
    await restart(5);
    await waitFor('the adoption', () => h.logs.some((l) => l.includes(`task ${task.id}: its window is held open for a follow-up`)));
    expect(await windowsOf(task.id)).toEqual(before);

    expect((await sendFollowUp(task.id, 'after-restart')).status).toBe(201);
    await waitOpen(task.id, 'after-restart');
    expect(await windowsOf(task.id)).toEqual(before);
    expect((await post(`/api/tasks/${task.id}/close`)).status).toBe(200);
    await waitClosed(task.id);
  });

  test("a follow-up turn asks for approval through the CLI's hook, as a first turn does", { timeout: 240_000 }, async () => {
    rmSync(join(h.workspace(cli), 'approved.txt'), { force: true });
    const task = await createTask('before-tool');
    await waitOpen(task.id, 'before-tool');
    // No echo tag: the model asks for `touch approved.txt`, and the CLI's hook asks the phone.
    expect((await post(`/api/tasks/${task.id}/follow-ups`, { id: randomUUID(), text: 'Please create approved.txt' })).status).toBe(201);
    const approval = await waitFor('the approval on the phone', async () => (await h.approvalsOf(task.id, 'pending'))[0], TURN_MS);
    expect(approval.request).toMatchObject({ summary: 'touch approved.txt', source: 'hook' });
    expect((await h.getTask(task.id)).status).toBe('waiting_approval');
    const decided = await post(`/api/approvals/${approval.id}/decision`, { decision: 'allow', inputHash: approval.inputHash });
    expect(decided.status).toBe(200);
    await waitFor('the tool turn to end with the window open', async () => {
      const t = await h.getTask(task.id);
      return t.status === 'succeeded' && (t.finalScreen ?? []).join('\n').includes(TOOL_MARKER);
    }, TURN_MS);
    expect(existsSync(join(h.workspace(cli), 'approved.txt'))).toBe(true);
    expect(await windowsOf(task.id)).toHaveLength(1);
    expect((await post(`/api/tasks/${task.id}/close`)).status).toBe(200);
    await waitClosed(task.id);
  });

  test('a follow-up for a window that vanished ends the task failed, saying why', { timeout: 240_000 }, async () => {
    const task = await createTask('vanishing');
    await waitOpen(task.id, 'vanishing');
    const [window] = await windowsOf(task.id);
    await execa('tmux', ['-L', h.tmuxSocket, 'kill-window', '-t', window!.windowId]);
    expect((await sendFollowUp(task.id, 'nobody-home')).status).toBe(201);
    const done = await waitFor('the task to fail', async () => {
      const t = await h.getTask(task.id);
      return t.status === 'failed' && t;
    }, 30_000);
    expect(done.error?.message).toMatch(/window closed before the follow-up could be typed/);
    expect(done.followUps?.map((f) => f.status)).toEqual(['delivered']);
    await waitClosed(task.id);
  });

  test('with a short keepOpenMinutes the window closes by itself, and a later follow-up is refused', { timeout: 240_000 }, async () => {
    await restart(0.1); // 6 s
    const task = await createTask('brief');
    await waitOpen(task.id, 'brief');
    await waitClosed(task.id);
    expect(h.logs.join('\n')).toContain(`task ${task.id}: window closed (its open time is over)`);
    expect((await h.getTask(task.id)).openUntil ?? null).toBeNull();
    expect((await sendFollowUp(task.id, 'too-late')).status).toBe(409);
  });
});
