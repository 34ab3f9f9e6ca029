// The notification each push message becomes: title and icon per status, approvals with Allow/Deny, and where a tap goes.
import { describe, expect, it } from 'vitest';
import { PushMessage, TaskStatus } from '../../protocol/index.ts';
import { genericNotification, notificationFor, offersAllow, pathFor, tapDecision } from './push-notification.ts';

const TASK = '6f1c0f7e-3f43-4c43-9a4e-0d1b8e8c5a11';
const APPROVAL = '0b7d2f52-8c0e-4f7a-9d57-5f2b1d9a6c33';
const DEVICE = '9a0e7c1d-2b3f-4e5a-8c6d-7e8f9a0b1c2d';
const NOW = 1_800_000_000_000;

const task = (status: TaskStatus, text = 'echo done') => PushMessage.parse({ type: 'task', taskId: TASK, status, tag: `task-${TASK}`, text });
type Of<T extends PushMessage['type']> = Extract<PushMessage, { type: T }>;
/** The fixture, checked against the schema and kept at its own member type. */
const valid = <M extends PushMessage>(message: M): M => (PushMessage.parse(message), message);

const approval = valid<Of<'approval'>>({
  type: 'approval',
  approvalId: APPROVAL,
  taskId: TASK,
  inputHash: 'a'.repeat(64),
  deadlineAt: NOW + 30 * 60_000,
  tag: `approval-${APPROVAL}`,
  text: 'touch approved.txt',
  complete: true,
});
const offline = valid<Of<'agent-offline'>>({ type: 'agent-offline', deviceId: DEVICE, lastSeenAt: NOW - 12 * 60_000, tag: `agent-${DEVICE}`, text: '' });

describe('notificationFor', () => {
  it.each<[TaskStatus, string, string]>([
    ['succeeded', '✓ Task succeeded', '/icons/status-succeeded.png'],
    ['failed', '✗ Task failed', '/icons/status-failed.png'],
    ['lost', '✗ Task lost', '/icons/status-failed.png'],
    ['timed_out', '✗ Task timed out', '/icons/status-failed.png'],
    ['cancelled', '✗ Task cancelled', '/icons/status-failed.png'],
    ['waiting_approval', '⏸ Task waiting for approval', '/icons/status-waiting.png'],
    ['running', '⚙ Task running', '/icons/status-running.png'],
    ['queued', 'Zzz Task queued', '/icons/status-queued.png'],
  ])('a task %s: “%s” with %s', (status, title, icon) => {
    const message = task(status);
    const plan = notificationFor(message, NOW);
    expect(plan.title).toBe(title);
    expect(plan.options).toEqual({ body: 'echo done', icon, badge: '/icons/badge.png', tag: `task-${TASK}`, data: message, timestamp: NOW });
  });

  it('a task without text still says what to do', () => {
    expect(notificationFor(task('succeeded', ''), NOW).options.body).toBe('Tap to open the task.');
  });

  it('a whole approval names the call in title and body, counts down, stays until answered and offers Allow and Deny', () => {
    const plan = notificationFor(approval, NOW);
    expect(plan.title).toBe('⏸ Approval needed: touch approved.txt');
    expect(plan.options).toMatchObject({
      body: 'touch approved.txt\nAnswer within 30 min, or it is denied.',
      icon: '/icons/status-waiting.png',
      tag: `approval-${APPROVAL}`,
      requireInteraction: true,
      data: approval,
      actions: [
        { action: 'allow', title: 'Allow' },
        { action: 'deny', title: 'Deny' },
      ],
    });
  });

  it('an approval past its deadline, and one with a long summary (title cut to 100 characters, body whole, no Allow)', () => {
    const text = 'x'.repeat(200);
    const late = notificationFor({ ...approval, deadlineAt: NOW - 1, text }, NOW);
    expect(late.options.body).toBe(`${text}\nAnswer now, or it is denied. Only part of it is shown here: open Hearth to review it.`);
    expect(late.title).toHaveLength(100);
    expect(late.title.endsWith('x…')).toBe(true);
    expect(late.options.actions).toEqual([
      { action: 'open', title: 'Open to review' },
      { action: 'deny', title: 'Deny' },
    ]);
  });

  it('offers Allow only for the whole summary, shown whole: never for text the Worker cut or marked, or the title cuts', () => {
    const offered = (m: typeof approval) => notificationFor(m, NOW).options.actions?.map((a) => a.action);
    // What the Worker sends for `git status\nrm -rf ~/`: its first line, marked cut.
    const cutByWorker = { ...approval, text: 'git status…', complete: false };
    expect(offered(cutByWorker)).toEqual(['open', 'deny']);
    expect(notificationFor(cutByWorker, NOW).options.body).toMatch(/^git status…\n.*open Hearth to review it\.$/);
    // A payload without `complete` (an older Worker) is not complete.
    const old = PushMessage.parse({ ...approval, complete: undefined });
    expect(old.type === 'approval' && old.complete).toBe(false);
    expect(offered({ ...approval, complete: false })).toEqual(['open', 'deny']);
    // Whole, but longer than the title holds (19 + 81 = 100 fits; 82 does not).
    expect(offered({ ...approval, text: 'y'.repeat(81) })).toEqual(['allow', 'deny']);
    expect(offered({ ...approval, text: 'y'.repeat(82) })).toEqual(['open', 'deny']);
    expect(offered({ ...approval, text: '' })).toEqual(['open', 'deny']);
    expect([offersAllow(approval), offersAllow({ ...approval, text: 'y'.repeat(82) })]).toEqual([true, false]);
  });

  it('a tap decides Allow only where Allow was offered; Deny always; anything else opens the app', () => {
    const cut = { ...approval, text: 'git status…', complete: false };
    expect(tapDecision(approval, 'allow')).toBe('allow');
    expect(tapDecision(cut, 'allow')).toBeNull();
    expect(tapDecision(cut, 'deny')).toBe('deny');
    expect(tapDecision(approval, 'deny')).toBe('deny');
    expect(tapDecision(cut, 'open')).toBeNull();
    expect(tapDecision(approval, '')).toBeNull();
    expect(tapDecision(task('failed'), 'allow')).toBeNull();
    expect(tapDecision(null, 'deny')).toBeNull();
  });

  it('an offline agent says for how long when the Worker sent no text', () => {
    const plan = notificationFor(offline, NOW);
    expect(plan.title).toBe('Home agent offline');
    expect(plan.options.body).toBe('Not seen for 12 min: tasks wait until it is back.');
    expect(plan.options.icon).toBe('/icons/status-failed.png');
    expect(notificationFor({ ...offline, text: 'hearth-box has been offline for 10 minutes' }, NOW).options.body).toBe('hearth-box has been offline for 10 minutes');
  });
});

describe('genericNotification', () => {
  it('is shown for an unreadable push, and opens the app', () => {
    const plan = genericNotification(NOW);
    expect(plan.title).toBe('Hearth needs your attention');
    expect(plan.options.data).toBeNull();
    expect(pathFor(null)).toBe('/');
  });
});

describe('pathFor', () => {
  it('a task or an approval opens the task, an offline agent the home agents', () => {
    expect(pathFor(task('failed'))).toBe(`/tasks/${TASK}`);
    expect(pathFor(approval)).toBe(`/tasks/${TASK}`);
    expect(pathFor(offline)).toBe('/settings#devices');
  });
});
