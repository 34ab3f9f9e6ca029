import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../protocol/index.ts';
import { parseNotifyRequest, planNotification } from './notify.ts';

const SECRET = 'a-room-secret-that-is-long-enough-for-tests';
const TASK = '3f1c6a52-8d0e-4f3b-9a51-6f0a2b9c7d10';
const body = JSON.stringify({ type: 'task-changed', taskId: TASK, status: 'queued' });
const request = (init: { method?: string; auth?: string; type?: string; body?: string }): Request =>
  new Request('http://room/parties/main/x', {
    method: init.method ?? 'POST',
    headers: {
      ...(init.auth !== undefined ? { authorization: init.auth } : {}),
      ...(init.type !== undefined ? { 'content-type': init.type } : {}),
    },
    body: init.body,
  });

describe('parseNotifyRequest', () => {
  const json = 'application/json';
  const cases: [string, Request, number | null][] = [
    ['valid', request({ auth: `Bearer ${SECRET}`, type: json, body }), null],
    ['charset is fine', request({ auth: `Bearer ${SECRET}`, type: `${json}; charset=utf-8`, body }), null],
    ['no auth', request({ type: json, body }), 401],
    ['wrong bearer', request({ auth: 'Bearer nope', type: json, body }), 401],
    ['secret as a prefix only', request({ auth: `Bearer ${SECRET.slice(0, -1)}`, type: json, body }), 401],
    ['basic scheme', request({ auth: `Basic ${SECRET}`, type: json, body }), 401],
    ['GET without auth', request({ method: 'GET' }), 401],
    ['GET with auth', request({ method: 'GET', auth: `Bearer ${SECRET}` }), 405],
    ['not JSON', request({ auth: `Bearer ${SECRET}`, type: 'text/plain', body }), 415],
    ['bad body', request({ auth: `Bearer ${SECRET}`, type: json, body: '{"type":"task-changed"}' }), 400],
    ['too large', request({ auth: `Bearer ${SECRET}`, type: json, body: ' '.repeat(5000) + body }), 413],
    ['revoke', request({ auth: `Bearer ${SECRET}`, type: json, body: '{"type":"revoke","sid":"s-1"}' }), null],
    ['revoke without a sid', request({ auth: `Bearer ${SECRET}`, type: json, body: '{"type":"revoke","sid":""}' }), 400],
  ];
  it.each(cases)('%s', async (_name, req, status) => {
    const parsed = await parseNotifyRequest(req, SECRET);
    if (status === null) expect(parsed.ok).toBe(true);
    else {
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.response.status).toBe(status);
        expect(parsed.response.headers.get('content-type')).toBe('application/problem+json');
        expect(await parsed.response.text()).not.toContain(SECRET);
      }
    }
  });
});

describe('planNotification for tasks', () => {
  const cases: [TaskStatus, object | null, boolean][] = [
    ['queued', { type: 'nudge', reason: 'task-queued' }, false],
    ['running', { type: 'nudge', reason: 'task-changed', taskId: TASK }, false],
    ['waiting_approval', null, false],
    ['cancelled', { type: 'nudge', reason: 'task-cancelled', taskId: TASK }, true],
    ['succeeded', { type: 'nudge', reason: 'task-changed', taskId: TASK }, false],
    ['failed', null, true],
    ['timed_out', null, true],
    ['lost', null, true],
  ];
  it.each(cases)('%s', (status, toAgents, closeTask) => {
    expect(planNotification({ type: 'task-changed', taskId: TASK, status })).toEqual({
      kind: 'fan-out',
      toPhones: { type: 'task-changed', taskId: TASK, status },
      toAgents,
      closeTaskId: closeTask ? TASK : null,
    });
  });
});

describe('planNotification for approvals', () => {
  const APPROVAL = '0b6b8c1e-2f47-4c3a-9d1e-5a7b9c2d4e6f';
  it.each([
    ['pending', null],
    ['allowed', { type: 'nudge', reason: 'approval-decided', taskId: TASK, approvalId: APPROVAL }],
    ['denied', { type: 'nudge', reason: 'approval-decided', taskId: TASK, approvalId: APPROVAL }],
    ['expired', { type: 'nudge', reason: 'approval-decided', taskId: TASK, approvalId: APPROVAL }],
  ] as const)('%s', (status, toAgents) => {
    expect(planNotification({ type: 'approval-changed', approvalId: APPROVAL, taskId: TASK, status })).toEqual({
      kind: 'fan-out',
      toPhones: { type: 'approval-changed', approvalId: APPROVAL, taskId: TASK, status },
      toAgents,
      closeTaskId: null,
    });
  });
});

describe('planNotification for revocations', () => {
  it('tells no one and names the sid whose sockets close', () => {
    expect(planNotification({ type: 'revoke', sid: 'session-7' })).toEqual({ kind: 'revoke', sid: 'session-7' });
  });
});
