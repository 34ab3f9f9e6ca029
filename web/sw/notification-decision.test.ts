// One tap, one POST: the decision carries the push's inputHash, a 409 reads the approval once, and nothing is retried.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PushMessage, type ApprovalView } from '../../protocol/index.ts';
import { answerFromNotification, DECISION_TIMEOUT_MS, type ApprovalMessage, type DecisionDeps } from './notification-decision.ts';
import type { NotificationPlan } from './push-notification.ts';

const TASK = '6f1c0f7e-3f43-4c43-9a4e-0d1b8e8c5a11';
const APPROVAL = '0b7d2f52-8c0e-4f7a-9d57-5f2b1d9a6c33';
const HASH = 'b'.repeat(64);
const NOW = 1_800_000_000_000;

const parsed = PushMessage.parse({
  type: 'approval',
  approvalId: APPROVAL,
  taskId: TASK,
  inputHash: HASH,
  deadlineAt: NOW + 60_000,
  tag: `approval-${APPROVAL}`,
  text: 'touch approved.txt',
  complete: true,
});
if (parsed.type !== 'approval') throw new Error('fixture');
const message: ApprovalMessage = parsed;

const view = (status: ApprovalView['status']): ApprovalView => ({
  id: APPROVAL,
  taskId: TASK,
  status,
  inputHash: HASH,
  createdAt: NOW - 1000,
  deadlineAt: NOW + 60_000,
  decidedAt: status === 'pending' ? null : NOW,
  decidedBy: status === 'pending' ? null : 'session:x',
  request: { tool: 'Bash', summary: 'touch approved.txt', detail: '{}', cwd: null, source: 'hook' },
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 300 ? 'application/json' : 'application/problem+json' } });

/** Fake deps answering each request from `answers` in order; records requests, notifications and opened paths. */
function world(...answers: Array<Response | Error>) {
  const requests: Array<{ path: string; method: string; body: unknown; credentials: string | undefined }> = [];
  const shown: NotificationPlan[] = [];
  const opened: string[] = [];
  const deps: DecisionDeps = {
    async fetch(path, init) {
      requests.push({ path, method: init.method ?? 'GET', body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined, credentials: init.credentials });
      const next = answers.shift();
      if (next === undefined) throw new Error(`unexpected request ${path}`);
      if (next instanceof Error) throw next;
      return next;
    },
    notify: async (plan) => void shown.push(plan),
    openApp: async (path) => void opened.push(path),
    now: () => NOW,
  };
  return { deps, requests, shown, opened };
}

describe('answerFromNotification', () => {
  it('posts the decision once, bound to the pushed inputHash, with the session cookie, and confirms in place', async () => {
    const w = world(json(200, view('allowed')));
    expect(await answerFromNotification(w.deps, message, 'allow')).toMatchObject({ kind: 'notify', title: 'Allowed' });
    expect(w.requests).toEqual([
      { path: `/api/approvals/${APPROVAL}/decision`, method: 'POST', body: { decision: 'allow', inputHash: HASH }, credentials: 'same-origin' },
    ]);
    expect(w.shown).toHaveLength(1);
    expect(w.shown[0]?.title).toBe('Allowed');
    expect(w.shown[0]?.options).toMatchObject({ tag: `approval-${APPROVAL}`, body: 'touch approved.txt', icon: '/icons/status-running.png', data: message });
    expect(w.shown[0]?.options.actions).toBeUndefined();
    expect(w.opened).toEqual([]);
  });

  it('a deny says Denied', async () => {
    const w = world(json(200, view('denied')));
    await answerFromNotification(w.deps, message, 'deny');
    expect(w.requests[0]?.body).toEqual({ decision: 'deny', inputHash: HASH });
    expect(w.shown.map((s) => s.title)).toEqual(['Denied']);
  });

  it('a 409 reads the approval once and says what it already was, without deciding again', async () => {
    const w = world(json(409, { code: 'conflict', detail: 'already denied' }), json(200, view('denied')));
    await answerFromNotification(w.deps, message, 'allow');
    expect(w.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/approvals/${APPROVAL}/decision`, `GET /api/approvals/${APPROVAL}`]);
    expect(w.shown.map((s) => s.title)).toEqual(['Already denied']);
  });

  it('a 409 whose approval cannot be read opens the task instead', async () => {
    const w = world(json(409, { code: 'conflict' }), new TypeError('offline'));
    await answerFromNotification(w.deps, message, 'allow');
    expect(w.opened).toEqual([`/tasks/${TASK}`]);
    expect(w.shown).toEqual([]);
  });

  it.each<[string, Response | Error]>([
    ['signed out (401)', json(401, { code: 'unauthenticated' })],
    ['refused (403)', json(403, { code: 'forbidden' })],
    ['a server error (500)', json(500, { code: 'internal' })],
    ['no network', new TypeError('Failed to fetch')],
  ])('%s: one request, then the app opens at the task to decide there', async (_, answer) => {
    const w = world(answer);
    expect(await answerFromNotification(w.deps, message, 'allow')).toEqual({ kind: 'open-app' });
    expect(w.requests).toHaveLength(1);
    expect(w.opened).toEqual([`/tasks/${TASK}`]);
    expect(w.shown).toEqual([]);
  });

  it('a 404 says the approval is gone', async () => {
    const w = world(json(404, { code: 'not-found' }));
    await answerFromNotification(w.deps, message, 'deny');
    expect(w.shown.map((s) => s.title)).toEqual(['This approval no longer exists']);
  });

  describe('a request that hangs', () => {
    afterEach(() => vi.restoreAllMocks());

    it.each<[string, Response[]]>([
      ['the POST', []],
      ['the read after a 409', [json(409, { code: 'conflict' })]],
    ])('%s is given up after 8 s (AbortSignal.timeout) and the app opens at the task', async (_, before) => {
      // AbortSignal.timeout runs on the platform's own timer: stand in for it so the test need not wait 8 s.
      const timeouts: Array<{ ms: number; controller: AbortController }> = [];
      vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
        const controller = new AbortController();
        timeouts.push({ ms, controller });
        return controller.signal;
      });
      const requests: string[] = [];
      const deps: DecisionDeps = {
        fetch: (path, init) => {
          requests.push(`${init.method} ${path}`);
          const answer = before.shift();
          if (answer) return Promise.resolve(answer);
          // A server that never answers: only the request's signal ends the wait.
          return new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
        },
        notify: async () => undefined,
        openApp: async (path) => void opened.push(path),
        now: () => NOW,
      };
      const opened: string[] = [];
      const expected = before.length + 1;
      const answered = answerFromNotification(deps, message, 'allow');
      await vi.waitFor(() => expect([requests.length, timeouts.length]).toEqual([expected, expected]));
      expect(timeouts.map((t) => t.ms)).toEqual(requests.map(() => DECISION_TIMEOUT_MS));
      expect(DECISION_TIMEOUT_MS).toBe(8_000);
      timeouts.at(-1)?.controller.abort(new DOMException('timed out', 'TimeoutError'));
      expect(await answered).toEqual({ kind: 'open-app' });
      expect(opened).toEqual([`/tasks/${TASK}`]);
    });
  });
});
