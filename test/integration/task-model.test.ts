// A task's model (`/model <name>` on the phone, CreateTaskRequest.model) reaches the REAL Claude Code, Codex and Gemini
// CLIs as `--model`: a task created through the real Worker with a model is claimed by the real home agent (runAgent
// in-process, real tmux), and the scripted model server records the CLI's conversation requests naming that model.
// Without a model the CLI keeps its own default.
import { afterAll, describe, expect, test } from 'vitest';
import { TaskView, type Backend } from '../../protocol/index.ts';
import type { RunningAgent } from '../../home-agent/agent.ts';
import { useApprovalHarness } from '../support/approval-harness.ts';
import type { CliName } from '../support/cli-home.ts';
import type { RecordedRequest } from '../support/model-server.ts';
import { join } from 'node:path';

const TAG = 'MODEL-ECHO';
const CLIS = (process.env.HEARTH_TEST_CLIS?.split(',') ?? ['claude', 'codex', 'gemini']) as CliName[];
const h = useApprovalHarness({ label: 'task-model', marker: 'MODEL-TOOL-DONE', delayMs: 0, echoTag: TAG });

/** The model a conversation request named: the JSON body's `model` (Anthropic, OpenAI), the URL path's (Gemini). */
function modelOf(request: RecordedRequest): string | null {
  if (request.api === 'gemini') return /\/models\/([^/:]+):/.exec(request.path)?.[1] ?? null;
  const body = request.body;
  if (typeof body !== 'object' || body === null || !('model' in body)) return null;
  return typeof body.model === 'string' ? body.model : null;
}

/** The requests that carried the task's prompt (its echo turn), not side calls (titles, routing). */
const turnsFor = (word: string): RecordedRequest[] =>
  h.model.requests().filter((r) => r.turn === 'echo' && JSON.stringify(r.body).includes(`${TAG}:${word}`));

describe.each(CLIS)('%s', (cli) => {
  let agent: RunningAgent | undefined;
  afterAll(async () => {
    await agent?.stop();
  });

  const run = async (word: string, model?: string): Promise<TaskView> => {
    agent ??= (await h.startAgent(cli, { idleStableMs: 1_000 }, { configDir: join(h.root, `agent-${cli}`) })).agent;
    const body = { workspace: `ws-${cli}`, backend: cli as Backend, prompt: `Please reply to ${TAG}:${word}`, ...(model ? { model } : {}) };
    const created = TaskView.parse(await h.json(await h.http.post('/api/tasks', body, h.cookie, { origin: h.worker.url })));
    expect(created.model ?? null).toBe(model ?? null);
    const ended = await h.waitEnded(created.id);
    expect(ended.status, (ended.finalScreen ?? []).join('\n')).toBe('succeeded');
    return ended;
  };

  test('a task with a model: the CLI asks the model server for that model', { timeout: 180_000 }, async () => {
    const model = `hearth-${cli}-model-x1`;
    const task = await run(`with-${cli}`, model);
    expect(task.model).toBe(model);
    const turns = turnsFor(`with-${cli}`);
    expect(turns.length, 'the echo turn reached the model server').toBeGreaterThan(0);
    expect(turns.map(modelOf)).toEqual(turns.map(() => model));
  });

  test('a task without a model: the CLI keeps its default', { timeout: 180_000 }, async () => {
    await run(`without-${cli}`);
    const turns = turnsFor(`without-${cli}`);
    expect(turns.length).toBeGreaterThan(0);
    for (const turn of turns) expect(modelOf(turn)).not.toMatch(/^hearth-/);
  });
});
