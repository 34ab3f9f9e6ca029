// The agent's approval gate against the real Worker: home policy first, then auto-allow, then the phone —
// and every way of not getting an explicit allow ends in deny.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApprovalList, TaskView, type ApprovalRequest } from '../../protocol/index.ts';
import { createApprovalGate, type GateQuestion } from '../../home-agent/approval-gate.ts';
import { DEFAULT_POLICY, PolicyFile } from '../../home-agent/policy.ts';
import { createWorkerApi } from '../../home-agent/worker-api.ts';
import { pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient } from '../support/worker-http.ts';

let worker: RunningWorker;
let cookie: string;
let api: ReturnType<typeof createWorkerApi>;
let http: ReturnType<typeof apiClient>;
const lines: string[] = [];
const WS = '/home/me/demo';

beforeAll(async () => {
  worker = await startWorker({ partykitHost: '127.0.0.1:9' }); // no room: nudges are lost, the gate polls
  cookie = await signIn(worker.url, worker.setupSecret, 'gate-owner');
  const { token } = await pairAgent(worker.url, cookie);
  api = createWorkerApi({ server: worker.url, token });
  http = apiClient(worker.url);
  await api.putCapabilities({ workspaces: ['demo'], backends: ['shell', 'claude'], maxConcurrent: 4 });
});
afterAll(async () => {
  await worker?.stop();
});

async function runningTask(): Promise<string> {
  const res = await http.post('/api/tasks', { workspace: 'demo', backend: 'claude', prompt: 'do it' }, cookie);
  const task = TaskView.parse(await res.json());
  await api.claim(task.id);
  return task.id;
}

const request: ApprovalRequest = { tool: 'Bash', summary: 'touch approved.txt', detail: '{"command":"touch approved.txt"}', cwd: WS, source: 'hook' };
const question = (taskId: string, command: string): GateQuestion => ({
  taskId,
  workspace: WS,
  call: { kind: 'shell', tool: 'Bash', command, paths: [], cwd: WS },
  request: { ...request, summary: command },
  inputHash: 'a'.repeat(64),
});
const gate = (over: Partial<Parameters<typeof createApprovalGate>[0]> = {}) =>
  createApprovalGate({ api, policy: DEFAULT_POLICY, now: Date.now, log: (l) => lines.push(l), pollMs: 100, ...over });

async function pending(taskId: string) {
  const list = ApprovalList.parse(await (await http.get('/api/approvals?status=pending', cookie)).json());
  return list.approvals.filter((a) => a.taskId === taskId);
}
async function waitForPending(taskId: string) {
  for (let i = 0; i < 100; i++) {
    const found = await pending(taskId);
    if (found.length > 0) return found[0]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no pending approval');
}
const decideOnPhone = (id: string, decision: 'allow' | 'deny') =>
  http.post(`/api/approvals/${id}/decision`, { decision, inputHash: 'a'.repeat(64) }, cookie);

describe('home policy', () => {
  test('allows read-only commands and denies destructive ones without asking the phone', async () => {
    const taskId = await runningTask();
    const g = gate();
    expect((await g.decide(question(taskId, 'git status'), new AbortController().signal)).decision).toBe('allow');
    expect((await g.decide(question(taskId, 'rm -rf /'), new AbortController().signal)).decision).toBe('deny');
    expect(await pending(taskId)).toEqual([]);
  });
});

describe('asking the phone', () => {
  test('Allow on the phone → allow; the approval is recorded as allowed', async () => {
    const taskId = await runningTask();
    const answer = gate().decide(question(taskId, 'touch approved.txt'), new AbortController().signal);
    const approval = await waitForPending(taskId);
    expect(approval.request.summary).toBe('touch approved.txt');
    expect((await decideOnPhone(approval.id, 'allow')).status).toBe(200);
    expect(await answer).toEqual({ decision: 'allow', reason: 'allowed from the phone' });
  });

  test('Deny on the phone → deny', async () => {
    const taskId = await runningTask();
    const answer = gate().decide(question(taskId, 'touch denied.txt'), new AbortController().signal);
    const approval = await waitForPending(taskId);
    expect((await decideOnPhone(approval.id, 'deny')).status).toBe(200);
    expect((await answer).decision).toBe('deny');
  });

  test('no answer by the deadline → deny, and a late Allow is refused', async () => {
    const taskId = await runningTask();
    const answer = gate({ deadlineMs: 1500 }).decide(question(taskId, 'touch late.txt'), new AbortController().signal);
    const approval = await waitForPending(taskId);
    expect((await answer).decision).toBe('deny');
    expect((await decideOnPhone(approval.id, 'allow')).status).toBe(409);
    expect((await api.approval(approval.id)).status).toBe('expired');
  });

  test('the hook going away → deny, and the approval is withdrawn so the phone cannot allow it', async () => {
    const taskId = await runningTask();
    const hook = new AbortController();
    const answer = gate().decide(question(taskId, 'touch gone.txt'), hook.signal);
    const approval = await waitForPending(taskId);
    hook.abort();
    expect((await answer).decision).toBe('deny');
    expect((await api.approval(approval.id)).status).toBe('expired');
    expect((await decideOnPhone(approval.id, 'allow')).status).toBe(409);
  });

  test('a Worker that cannot be reached → deny', async () => {
    const taskId = await runningTask();
    const offline = createWorkerApi({ server: 'http://127.0.0.1:9', token: 'x'.repeat(40) });
    const answer = await gate({ api: offline }).decide(question(taskId, 'touch x'), new AbortController().signal);
    expect(answer.decision).toBe('deny');
  });
});

describe('auto-allow from the phone', () => {
  test('allows what the policy would ask about, never what it denies', async () => {
    const taskId = await runningTask();
    expect((await http.post(`/api/tasks/${taskId}/auto-allow`, { minutes: 15 }, cookie)).status).toBe(200);
    const g = gate();
    expect((await g.decide(question(taskId, 'npm install'), new AbortController().signal)).decision).toBe('allow');
    expect(await pending(taskId)).toEqual([]); // allowed by the window, not asked on the phone
    expect((await g.decide(question(taskId, 'git push --force'), new AbortController().signal)).decision).toBe('deny');
  });

  test('the home maximum caps what the phone turned on', async () => {
    const taskId = await runningTask();
    await http.post(`/api/tasks/${taskId}/auto-allow`, { minutes: 60 }, cookie);
    let now = Date.now();
    const g = gate({ policy: PolicyFile.parse({ maxAutoAllowMinutes: 5 }), now: () => now, deadlineMs: 1000 });
    expect((await g.decide(question(taskId, 'npm test'), new AbortController().signal)).decision).toBe('allow');
    now += 6 * 60_000; // past the home cap, still inside the phone's 60 minutes
    expect((await g.decide(question(taskId, 'npm test'), new AbortController().signal)).decision).toBe('deny');
    // It was asked on the phone (nobody answered in time) instead of being auto-allowed.
    const all = ApprovalList.parse(await (await http.get('/api/approvals?status=all', cookie)).json());
    expect(all.approvals.filter((a) => a.taskId === taskId).map((a) => a.request.summary)).toEqual(['npm test']);
  });

  test('a home policy with auto-allow switched off ignores it', async () => {
    const taskId = await runningTask();
    await http.post(`/api/tasks/${taskId}/auto-allow`, { minutes: 15 }, cookie);
    const answer = gate({ policy: PolicyFile.parse({ maxAutoAllowMinutes: 0 }), deadlineMs: 1000 }).decide(
      question(taskId, 'npm ci'),
      new AbortController().signal,
    );
    await waitForPending(taskId);
    expect((await answer).decision).toBe('deny');
  });
});
