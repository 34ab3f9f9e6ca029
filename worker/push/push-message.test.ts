import { describe, expect, it } from 'vitest';
import { MAX_PUSH_MESSAGE_BYTES, PushMessage } from '../../protocol/index.ts';
import { agentOfflinePush, approvalPush, approvalText, encodePushMessage, oneLine, taskPush } from './push-message.ts';

const TASK = '0b8f5c1e-8a55-4b53-9d0e-4b1f3c2a9e10';
const OWNER = 'owner-1';
const APPROVAL = '5f0c2b7e-1d2a-4c3b-8e9f-0a1b2c3d4e5f';
const DEVICE = '9d3e1f0a-7b6c-4d5e-8f90-a1b2c3d4e5f6';
const HASH = 'a'.repeat(64);

describe('oneLine', () => {
  it.each([
    ['fix the bug\nthen run tests', 'fix the bug'],
    ['\n\n  second line first  \nthird', 'second line first'],
    ['tab\there\u001b[31m', 'tab here [31m'],
    ['', ''],
  ])('%j → %j', (input, out) => expect(oneLine(input, 120)).toBe(out));

  it('cuts to the limit with an ellipsis, never splitting a surrogate pair', () => {
    expect(oneLine('x'.repeat(121), 120)).toBe(`${'x'.repeat(119)}…`);
    expect(oneLine('x'.repeat(120), 120)).toBe('x'.repeat(120));
    const emoji = `${'x'.repeat(118)}😀tail`;
    const cut = oneLine(emoji, 120);
    expect(cut).toBe(`${'x'.repeat(118)}…`);
    expect(cut.length).toBeLessThanOrEqual(120);
  });
});

describe('push builders', () => {
  it('pushes succeeded, failed, lost and timed_out tasks, not cancelled or running ones', () => {
    const task = { id: TASK, ownerId: OWNER, prompt: `Refactor ${'the module '.repeat(20)}\nmore`, status: 'succeeded' as const };
    const item = taskPush(task);
    expect(item).toEqual({
      ownerId: OWNER,
      event: 'task-succeeded',
      message: { type: 'task', taskId: TASK, status: 'succeeded', tag: `task:${TASK}`, text: oneLine(task.prompt, 120) },
      ttlSeconds: 86_400,
      urgency: 'normal',
    });
    expect(item?.message.text).toHaveLength(120);
    expect(taskPush({ ...task, status: 'failed' })?.event).toBe('task-failed');
    expect(taskPush({ ...task, status: 'lost' })?.event).toBe('task-lost');
    expect(taskPush({ ...task, status: 'timed_out' })?.event).toBe('task-timed-out');
    expect(taskPush({ ...task, status: 'cancelled' })).toBeNull();
    expect(taskPush({ ...task, status: 'running' })).toBeNull();
  });

  it('pushes an approval with its summary, high urgency and a TTL up to its deadline', () => {
    const request = JSON.stringify({ tool: 'Bash', summary: 'rm -rf build', detail: '{}', cwd: null, source: 'hook' });
    const row = { id: APPROVAL, ownerId: OWNER, taskId: TASK, inputHash: HASH, deadlineAt: 1_000_000 + 90_500, request };
    expect(approvalPush(row, 1_000_000)).toEqual({
      ownerId: OWNER,
      event: 'approval-requested',
      message: { type: 'approval', approvalId: APPROVAL, taskId: TASK, inputHash: HASH, deadlineAt: row.deadlineAt, tag: `approval:${APPROVAL}`, text: 'rm -rf build', complete: true },
      ttlSeconds: 91,
      urgency: 'high',
    });
    expect(approvalPush({ ...row, request: JSON.stringify({ tool: 'Read', summary: '', detail: '', cwd: null, source: 'hook' }) }, 0).message).toMatchObject({ text: 'Read', complete: false });
    expect(approvalPush({ ...row, request: 'not json' }, 0).message).toMatchObject({ text: 'A tool is waiting for your approval', complete: false });
    expect(approvalPush(row, row.deadlineAt + 5).ttlSeconds).toBe(0);
  });

  it('pushes an offline agent with its name and when it was last seen', () => {
    expect(agentOfflinePush({ id: DEVICE, ownerId: OWNER, name: 'nas', lastSeenAt: 42 }).message).toEqual({
      type: 'agent-offline',
      deviceId: DEVICE,
      lastSeenAt: 42,
      tag: `agent-offline:${DEVICE}`,
      text: 'nas',
    });
  });
});

describe('approvalText', () => {
  const request = (summary: string) => JSON.stringify({ tool: 'Bash', summary, detail: '{}', cwd: null, source: 'hook' });

  it('is complete only for a whole one-line summary that fits', () => {
    expect(approvalText(request('  git status  '))).toEqual({ text: 'git status', complete: true });
    expect(approvalText(request('x'.repeat(200)))).toEqual({ text: 'x'.repeat(200), complete: true });
  });

  it.each([
    ['a second line', 'git status\nrm -rf ~/', 'git status…'],
    ['a second line after blank ones', '\n\ngit status\n\n  \nrm -rf ~/', 'git status…'],
    ['a carriage return', 'git status\rrm -rf ~/', 'git status…'],
    ['a tab', 'git\tstatus', 'git status…'],
    ['a bidi override', 'echo \u202eharmless', 'echo \u202eharmless…'],
    ['a zero-width space', 'rm\u200b -rf', 'rm\u200b -rf…'],
    ['a line separator', 'git status\u2028rm -rf ~/', 'git status\u2028rm -rf ~/…'],
    ['a run of spaces', `ls${' '.repeat(60)}; rm -rf ~/`, `ls${' '.repeat(60)}; rm -rf ~/…`],
  ])('is marked cut (…) and not complete for %s', (_what, summary, text) => {
    expect(approvalText(request(summary))).toEqual({ text, complete: false });
  });

  it('cuts a long summary to 200 units, marked, not complete', () => {
    const { text, complete } = approvalText(request('y'.repeat(201)));
    expect([text, complete]).toEqual([`${'y'.repeat(199)}…`, false]);
    const long = approvalText(request(`${'z'.repeat(200)}\nmore`));
    expect([long.text, long.complete]).toEqual([`${'z'.repeat(199)}…`, false]);
  });
});

describe('encodePushMessage', () => {
  it('encodes a valid message and refuses one the schema or the byte cap refuses', () => {
    const item = taskPush({ id: TASK, ownerId: OWNER, status: 'failed', prompt: '日本語'.repeat(100) });
    const json = item && encodePushMessage(item.message);
    expect(json && PushMessage.parse(JSON.parse(json))).toEqual(item?.message);
    expect(new TextEncoder().encode(json ?? '').length).toBeLessThanOrEqual(MAX_PUSH_MESSAGE_BYTES);
    expect(encodePushMessage({ type: 'task', taskId: 'nope', status: 'failed', tag: 't', text: '' })).toBeNull();
    expect(encodePushMessage({ type: 'task', taskId: TASK, status: 'failed', tag: 't', text: 'x'.repeat(201) })).toBeNull();
  });
});
