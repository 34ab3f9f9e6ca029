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
 * What keeps a summary from being shown whole on one notification line: controls (line breaks, tabs, escapes),
 * format characters (bidi overrides, zero-width), line/paragraph separators, and runs of whitespace (a wide gap
 * can push the rest out of sight). A summary holding any is never `complete`.
 */
const NOT_WHOLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\s{2}/u;

/** The first non-empty line of `text`, trimmed, controls turned to spaces. */
const firstLine = (text: string): string => (text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '').replace(CONTROL, ' ').trim();

/**
 * `line` cut to `units` UTF-16 units ending in "…" (a surrogate pair is never split); unchanged when it fits, unless
 * `mark` asks for the "…" anyway (the line is only part of the text).
 */
function cutLine(line: string, units: number, mark = false): string {
  if (line.length <= units && !mark) return line;
  let end = Math.min(units - 1, line.length);
  const last = line.charCodeAt(end - 1);
  if (end < line.length && last >= 0xd800 && last <= 0xdbff) end--;
  return `${line.slice(0, end)}…`;
}

/**
 * The first non-empty line of `text`, trimmed, controls turned to spaces, cut to `units` UTF-16 units (ending in
 * "…" when cut; a surrogate pair is never split).
 */
export const oneLine = (text: string, units: number): string => cutLine(firstLine(text), units);

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

/** An approval's notification text, and whether it is the whole summary (PushMessage `complete`). */
type ApprovalText = { text: string; complete: boolean };

const UNREADABLE: ApprovalText = { text: 'A tool is waiting for your approval', complete: false };

/**
 * The stored request's summary as one line, or its tool name when the summary is empty (`request` is the stored
 * ApprovalRequest JSON). `complete` only when the summary is one line of at most TEXT_UNITS units with nothing
 * NOT_WHOLE in it; otherwise the text ends in "…" (also when only later lines were left out), so neither the phone
 * nor the owner takes a part for the whole.
 */
export function approvalText(requestJson: string): ApprovalText {
  let parsed: ReturnType<typeof ApprovalRequest.safeParse>;
  try {
    parsed = ApprovalRequest.safeParse(JSON.parse(requestJson));
  } catch {
    return UNREADABLE;
  }
  if (!parsed.success) return UNREADABLE;
  const summary = parsed.data.summary.trim();
  if (summary === '') return { text: oneLine(parsed.data.tool, TEXT_UNITS), complete: false };
  const complete = summary.length <= TEXT_UNITS && !NOT_WHOLE.test(summary);
  return { text: complete ? summary : cutLine(firstLine(summary), TEXT_UNITS, true), complete };
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
      ...approvalText(row.request),
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
