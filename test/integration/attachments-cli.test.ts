// An image attached to a task reaches the REAL Claude Code: uploaded to the real Worker, bound to a claude task,
// fetched by the real home agent (runAgent in-process, real tmux) into the workspace before the CLI starts, and named
// in the prompt the CLI sends to the scripted model server. The Worker drops its bytes once the agent has them.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { AttachmentView, TaskView } from '../../protocol/index.ts';
import type { RunningAgent } from '../../home-agent/agent.ts';
import { useApprovalHarness } from '../support/approval-harness.ts';
import { withD1 } from '../support/worker.ts';

const TAG = 'ATTACH-ECHO';
const h = useApprovalHarness({ label: 'attach-cli', marker: 'ATTACH-TOOL-DONE', delayMs: 0, echoTag: TAG });
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let agent: RunningAgent | undefined;
afterAll(async () => {
  await agent?.stop();
});

/** A write as the owner from the app's page (the Worker wants its Origin on signed-in writes). */
const post = async (path: string, body: unknown): Promise<unknown> => h.json(await h.http.post(path, body, h.cookie, { origin: h.worker.url }));

test('claude gets the image in its workspace and its path in the prompt', { timeout: 180_000 }, async () => {
  agent = (await h.startAgent('claude', { idleStableMs: 1_000 }, { configDir: join(h.root, 'agent-claude') })).agent;
  const image = AttachmentView.parse(await post('/api/attachments', { name: 'diagram.png', mediaType: 'image/png', data: PNG.toString('base64') }));
  const body = { workspace: 'ws-claude', backend: 'claude', prompt: `Please look at ${TAG}:picture`, attachmentIds: [image.id] };
  const created = TaskView.parse(await post('/api/tasks', body));
  const ended = await h.waitEnded(created.id);
  expect(ended.status, (ended.finalScreen ?? []).join('\n')).toBe('succeeded');

  const relative = `.hearth/attachments/${created.id}/1.png`;
  const file = join(h.workspace('claude'), relative);
  expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(image.sha256);
  expect(statSync(file).mode & 0o777).toBe(0o600);

  // The CLI's conversation request carried the prompt with the image's path on its own line.
  const turns = h.model.requests().filter((r) => r.turn === 'echo' && JSON.stringify(r.body).includes(`${TAG}:picture`));
  expect(turns.length, 'the echo turn reached the model server').toBeGreaterThan(0);
  expect(JSON.stringify(turns[0]?.body)).toContain(`Attached image: ${relative}`);

  expect(ended.attachments?.[0]?.receivedAt).toEqual(expect.any(Number));
  const [row] = await withD1(h.worker, (d1) => d1.prepare('SELECT data FROM attachments WHERE id = ?').all(image.id) as { data: Buffer | null }[]);
  expect(row).toEqual({ data: null });
});
