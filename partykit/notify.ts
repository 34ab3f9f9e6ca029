// The Worker → room notification endpoint: authenticate (Bearer ROOM_SECRET, constant time), parse the
// RoomNotification body, and plan what it does (fan-out to phones and agents, or a revocation). No I/O beyond reading the request.
import {
  RoomNotification,
  decodeFrame,
  isTerminal,
  type RoomToAgent,
  type RoomToPhone,
} from '../protocol/index.ts';
import { timingSafeEqualText } from './constant-time.ts';
import { problemResponse } from './problem.ts';

/** Largest notification body read, in characters. */
export const MAX_NOTIFY_CHARS = 4096;

export type NotifyParse = { ok: true; notification: RoomNotification } | { ok: false; response: Response };

/**
 * Check `req`: 401 without `Authorization: Bearer <secret>` (checked first, whatever the method), 405 for a
 * method other than POST, 415 without a JSON content type, 413 over MAX_NOTIFY_CHARS, 400 for an invalid body.
 */
export async function parseNotifyRequest(req: Request, secret: string): Promise<NotifyParse> {
  const auth = req.headers.get('authorization') ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
  if (!timingSafeEqualText(token, secret)) {
    return { ok: false, response: problemResponse(401, 'unauthenticated', undefined, { 'www-authenticate': 'Bearer' }) };
  }
  if (req.method !== 'POST') {
    return { ok: false, response: problemResponse(405, 'invalid-request', 'POST only', { allow: 'POST' }) };
  }
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return { ok: false, response: problemResponse(415, 'unsupported-media-type') };
  }
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_NOTIFY_CHARS) return { ok: false, response: problemResponse(413, 'payload-too-large') };
  const text = await req.text();
  if (text.length > MAX_NOTIFY_CHARS) return { ok: false, response: problemResponse(413, 'payload-too-large') };
  const decoded = decodeFrame(RoomNotification, text);
  if (!decoded.ok) return { ok: false, response: problemResponse(400, 'invalid-request', decoded.error) };
  return { ok: true, notification: decoded.value };
}

/**
 * What one notification makes the room do: `revoke` closes the sockets of a revoked session or device and refuses
 * its tickets (revoked-sids.ts); `fan-out` tells phones and maybe agents, and maybe ends a task's live screen.
 */
export type NotifyPlan =
  | { kind: 'revoke'; sid: string }
  | { kind: 'fan-out'; toPhones: RoomToPhone; toAgents: RoomToAgent | null; closeTaskId: string | null };

/**
 * Plan a notification. `task-changed`: every phone gets it; agents get a `nudge` when the task was queued (claim
 * it), cancelled (end it), running or succeeded (a follow-up arrived, or the owner closed an open window); a
 * terminal status other than succeeded ends the room's live screen of the task. `approval-changed` goes to phones,
 * and a decision (allowed, denied, expired) nudges agents. `revoke` reaches no one: its sockets are closed.
 */
export function planNotification(n: RoomNotification): NotifyPlan {
  switch (n.type) {
    case 'revoke':
      return { kind: 'revoke', sid: n.sid };
    case 'approval-changed': {
      const { approvalId, taskId, status } = n;
      const decided = status !== 'pending';
      return {
        kind: 'fan-out',
        toPhones: { type: 'approval-changed', approvalId, taskId, status },
        toAgents: decided ? { type: 'nudge', reason: 'approval-decided', taskId, approvalId } : null,
        closeTaskId: null,
      };
    }
    case 'task-changed': {
      const toAgents: RoomToAgent | null =
        n.status === 'queued'
          ? { type: 'nudge', reason: 'task-queued' }
          : n.status === 'cancelled'
            ? { type: 'nudge', reason: 'task-cancelled', taskId: n.taskId }
            : n.status === 'running' || n.status === 'succeeded'
              ? { type: 'nudge', reason: 'task-changed', taskId: n.taskId }
              : null;
      // A succeeded CLI task may keep its window open for a follow-up: its agent sends task-closed when it closes it.
      const ends = isTerminal(n.status) && n.status !== 'succeeded';
      return { kind: 'fan-out', toPhones: { type: 'task-changed', taskId: n.taskId, status: n.status }, toAgents, closeTaskId: ends ? n.taskId : null };
    }
  }
}
