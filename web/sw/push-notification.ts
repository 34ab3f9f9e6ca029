// What a push message looks like as a notification: title, body, status icon, tag, actions. Pure: a parsed
// PushMessage (or nothing usable) and the time in, the showNotification() arguments out. Never shows anything itself.
import type { PushMessage, TaskStatus } from '../../protocol/index.ts';

/** The status icons made for notifications (DESIGN.md §3): /icons/status-<name>.png, 96×96. */
export type StatusIcon = 'queued' | 'thinking' | 'running' | 'waiting' | 'succeeded' | 'failed';

/**
 * One notification button (NotificationOptions.actions; not in TypeScript's lib, which lists only what every browser
 * has). `open` opens the app at the task, as a tap on the notification does.
 */
export type NotificationAction = { action: 'allow' | 'deny' | 'open'; title: string };

/**
 * showNotification(title, options). `options` adds to the DOM lib's NotificationOptions what Chromium and Firefox
 * take: `actions` (buttons), `timestamp` (epoch ms of the event).
 */
export type NotificationPlan = {
  title: string;
  options: NotificationOptions & { actions?: NotificationAction[]; timestamp?: number };
};

/** The monochrome icon Android shows in the status bar. */
export const BADGE_URL = '/icons/badge.png';

/** Longest title we build, in characters (the shade cuts earlier; an approval's whole text is in its body). */
const TITLE_MAX = 100;
const APPROVAL_TITLE = '⏸ Approval needed: ';

const TASK_TITLES: Record<TaskStatus, string> = {
  queued: 'Zzz Task queued',
  running: '⚙ Task running',
  waiting_approval: '⏸ Task waiting for approval',
  succeeded: '✓ Task succeeded',
  failed: '✗ Task failed',
  cancelled: '✗ Task cancelled',
  timed_out: '✗ Task timed out',
  lost: '✗ Task lost',
};

const TASK_ICONS: Record<TaskStatus, StatusIcon> = {
  queued: 'queued',
  running: 'running',
  waiting_approval: 'waiting',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'failed',
  timed_out: 'failed',
  lost: 'failed',
};

/** /icons/status-<icon>.png */
export const statusIconUrl = (icon: StatusIcon): string => `/icons/status-${icon}.png`;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** An approval's push. */
export type ApprovalMessage = Extract<PushMessage, { type: 'approval' }>;

/**
 * Whether the notification for `message` offers Allow: only when the Worker sent the whole summary (`complete`) and
 * both the title and the body show all of it, so what the owner allows is what they read. Otherwise Deny (failing
 * closed is safe) and "Open to review".
 */
export const offersAllow = (message: ApprovalMessage): boolean =>
  message.complete && message.text !== '' && `${APPROVAL_TITLE}${message.text}`.length <= TITLE_MAX;

/**
 * What a tap on a notification's `action` button ('' for the notification itself) decides: 'deny' on an approval,
 * 'allow' only where offersAllow put the button, else null (the app opens at the task).
 */
export function tapDecision(message: PushMessage | null, action: string): 'allow' | 'deny' | null {
  if (message?.type !== 'approval') return null;
  if (action === 'deny') return 'deny';
  return action === 'allow' && offersAllow(message) ? 'allow' : null;
}

/** Whole minutes from `from` to `to` (epoch ms), at least 1. */
const minutesBetween = (from: number, to: number): number => Math.max(1, Math.round((to - from) / 60_000));

/**
 * The notification for `message`, received at `nowMs` (epoch ms). The message itself goes in `data`, so a tap
 * knows what it was about. Approvals show their whole text in the body (never cut here), get Allow/Deny buttons
 * when offersAllow, else Open to review/Deny, and stay until answered (requireInteraction).
 */
export function notificationFor(message: PushMessage, nowMs: number): NotificationPlan {
  const common = { badge: BADGE_URL, tag: message.tag, data: message, timestamp: nowMs };
  switch (message.type) {
    case 'task':
      return {
        title: TASK_TITLES[message.status],
        options: { ...common, body: message.text || 'Tap to open the task.', icon: statusIconUrl(TASK_ICONS[message.status]) },
      };
    case 'approval': {
      const left = message.deadlineAt > nowMs ? `Answer within ${minutesBetween(nowMs, message.deadlineAt)} min, or it is denied.` : 'Answer now, or it is denied.';
      const whole = offersAllow(message);
      return {
        title: cut(`${APPROVAL_TITLE}${message.text || 'a tool call'}`, TITLE_MAX),
        options: {
          ...common,
          body: whole
            ? `${message.text}\n${left}`
            : `${message.text || 'A tool call'}\n${left} Only part of it is shown here: open Hearth to review it.`,
          icon: statusIconUrl('waiting'),
          requireInteraction: true,
          actions: [whole ? { action: 'allow', title: 'Allow' } : { action: 'open', title: 'Open to review' }, { action: 'deny', title: 'Deny' }],
        },
      };
    }
    case 'agent-offline':
      return {
        title: 'Home agent offline',
        options: {
          ...common,
          body: message.text || `Not seen for ${minutesBetween(message.lastSeenAt, nowMs)} min: tasks wait until it is back.`,
          icon: statusIconUrl('failed'),
        },
      };
  }
}

/**
 * What to show for a push whose payload is missing or not a PushMessage: a push must always show a notification
 * (userVisibleOnly; browsers revoke the subscription of a worker that stays silent).
 */
export function genericNotification(nowMs: number): NotificationPlan {
  return {
    title: 'Hearth needs your attention',
    options: { body: 'Open Hearth to see what changed.', tag: 'hearth', icon: '/icons/icon-192.png', badge: BADGE_URL, timestamp: nowMs, data: null },
  };
}

/** Where a tap on the notification (not on a button) opens the app: the task, the home agents, or home. */
export function pathFor(message: PushMessage | null): string {
  if (message === null) return '/';
  if (message.type === 'agent-offline') return '/settings#devices';
  return `/tasks/${encodeURIComponent(message.taskId)}`;
}
