// The PushMessage for each event (protocol/push.ts), with how long a push service should keep it and how urgent it
// is. Pure: rows in, messages out; content (prompt, summary) is cut to one short line here and nowhere else.
import {
  ApprovalRequest,
  MAX_PUSH_MESSAGE_BYTES,
  PushMessage,
  utf8ByteLength,
  type PushEvent,
  type TaskStatus,
} from '../../protocol/index.ts';

/** One push to every subscription of `ownerId` that chose `event`. TTL in seconds (RFC 8030 §5.2), Urgency §5.3. */
export type PushItem = { ownerId: string; event: PushEvent; message: PushMessage; ttlSeconds: number; urgency: 'normal' | 'high' };

/** A task's prompt is cut to this many UTF-16 units (an ellipsis included) for its notification. */
export const TASK_TEXT_UNITS = 120;
/** The schema's cap on `text`. */
const TEXT_UNITS = 200;
/** Task and agent news is worth delivering for a day; an approval only until its deadline. */
export const NEWS_TTL_SECONDS = 24 * 60 * 60;

/** The task statuses that are pushed, and as which event. Cancelled is not: the owner did that. */
const TASK_EVENTS: Partial<Record<TaskStatus, PushEvent>> = {
  succeeded: 'task-succeeded',
  failed: 'task-failed',
  lost: 'task-lost',
  timed_out: 'task-timed-out',
};

// C0/C1 controls and DEL, shown as a space in a one-line notification.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The first non-empty line of `text`, trimmed, controls turned to spaces, cut to `units` UTF-16 units (ending in
 * "…" when cut; a surrogate pair is never split).
 */
export function oneLine(text: string, units: number): string {
  const line = (text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '').replace(CONTROL, ' ').trim();
  if (line.length <= units) return line;
  let end = units - 1;
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${line.slice(0, end)}…`;
}

/** The event a task's new status is pushed as, or null when that status is not pushed. */
export const taskEvent = (status: TaskStatus): PushEvent | null => TASK_EVENTS[status] ?? null;

/** A task that reached `status`: its push, or null when the status is not pushed (e.g. cancelled). */
export function taskPush(task: { id: string; ownerId: string; status: TaskStatus; prompt: string }): PushItem | null {
  const event = taskEvent(task.status);
  if (!event) return null;
  return {
    ownerId: task.ownerId,
    event,
    message: { type: 'task', taskId: task.id, status: task.status, tag: `task:${task.id}`, text: oneLine(task.prompt, TASK_TEXT_UNITS) },
    ttlSeconds: NEWS_TTL_SECONDS,
    urgency: 'normal',
  };
}

/** The stored request's summary (its first line), or its tool name when the summary is empty or unreadable. */
function approvalText(requestJson: string): string {
  let parsed: ReturnType<typeof ApprovalRequest.safeParse>;
  try {
    parsed = ApprovalRequest.safeParse(JSON.parse(requestJson));
  } catch {
    return 'A tool is waiting for your approval';
  }
  if (!parsed.success) return 'A tool is waiting for your approval';
  return oneLine(parsed.data.summary, TEXT_UNITS) || oneLine(parsed.data.tool, TEXT_UNITS);
}

/**
 * A newly opened approval's push: high urgency, kept by the push service only until its deadline (`now` in ms).
 * `request` is the stored ApprovalRequest JSON.
 */
export function approvalPush(
  row: { id: string; ownerId: string; taskId: string; inputHash: string; deadlineAt: number; request: string },
  now: number,
): PushItem {
  return {
    ownerId: row.ownerId,
    event: 'approval-requested',
    message: {
      type: 'approval',
      approvalId: row.id,
      taskId: row.taskId,
      inputHash: row.inputHash,
      deadlineAt: row.deadlineAt,
      tag: `approval:${row.id}`,
      text: approvalText(row.request),
    },
    ttlSeconds: Math.max(0, Math.ceil((row.deadlineAt - now) / 1000)),
    urgency: 'high',
  };
}

/** An agent unseen since `lastSeenAt` (epoch ms): its push, naming the device. */
export function agentOfflinePush(device: { id: string; ownerId: string; name: string; lastSeenAt: number }): PushItem {
  return {
    ownerId: device.ownerId,
    event: 'agent-offline',
    message: { type: 'agent-offline', deviceId: device.id, lastSeenAt: device.lastSeenAt, tag: `agent-offline:${device.id}`, text: oneLine(device.name, TEXT_UNITS) },
    ttlSeconds: NEWS_TTL_SECONDS,
    urgency: 'normal',
  };
}

/**
 * The JSON text to encrypt for `message`, or null when it fails the schema or is over MAX_PUSH_MESSAGE_BYTES
 * (the builders above keep every message well under it; this is the last check before encryption).
 */
export function encodePushMessage(message: PushMessage): string | null {
  const parsed = PushMessage.safeParse(message);
  if (!parsed.success) return null;
  const json = JSON.stringify(parsed.data);
  return utf8ByteLength(json) <= MAX_PUSH_MESSAGE_BYTES ? json : null;
}
