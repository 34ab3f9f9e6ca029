// How one audit entry reads on the phone: what happened, who did it (this phone, another session, a home agent) and
// from where (IP, browser). Pure: names come in as a lookup; `detail` is read field by field, never trusted as a shape.
import type { AuditChain, AuditEntry } from '../protocol/index.ts';
import { summarizeUserAgent } from './user-agent.ts';

/** What the audit panel knows about the owner's things, to name actors. */
export type AuditContext = {
  /** This phone's session id (from GET /api/sessions), or null when unknown. */
  currentSessionId: string | null;
  /** Home agent names by device id (from GET /api/devices). */
  deviceNames: ReadonlyMap<string, string>;
};

/** One entry as text: `action` the sentence, `who` the actor, `where` IP and browser (empty when neither is known). */
export type AuditLine = { action: string; who: string; where: string; taskId: string | null };

const str = (detail: Record<string, unknown>, key: string): string | null => {
  const value = detail[key];
  return typeof value === 'string' && value !== '' ? value : null;
};
const num = (detail: Record<string, unknown>, key: string): number | null => {
  const value = detail[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};
/** The first 8 characters of an id, enough to tell two apart on a phone. */
export const shortId = (id: string): string => id.slice(0, 8);
const quoted = (name: string | null): string => (name ? ` “${name}”` : '');
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The sentence for what an entry records. */
export function auditAction(entry: Pick<AuditEntry, 'action' | 'subject' | 'detail'>): string {
  const { detail, subject } = entry;
  switch (entry.action) {
    case 'setup-link-created':
      return 'Setup link created';
    case 'passkey-registered':
      return `Passkey${quoted(str(detail, 'name'))} added`;
    case 'passkey-removed': {
      const revoked = num(detail, 'sessionsRevoked') ?? 0;
      return revoked > 0 ? `Passkey removed, ${plural(revoked, 'session', 'sessions')} signed out` : 'Passkey removed';
    }
    case 'sign-in':
      return str(detail, 'via') === 'setup-link' ? 'Signed in with a new passkey' : 'Signed in';
    case 'sign-in-failed': {
      const reason = str(detail, 'reason');
      const what = str(detail, 'ceremony') === 'reverify' ? 'Passkey check refused' : 'Sign-in refused';
      return reason ? `${what}: ${reason}` : what;
    }
    case 'sign-out':
      return 'Signed out';
    case 'session-revoked':
      return subject ? `Session ${shortId(subject)} revoked` : 'Session revoked';
    case 'passkey-reverified':
      return 'Passkey confirmed';
    case 'pairing-approved':
      return `Pairing approved${quoted(str(detail, 'deviceName'))}`;
    case 'pairing-denied':
      return `Pairing denied${quoted(str(detail, 'deviceName'))}`;
    case 'device-paired':
      return `Home agent${quoted(str(detail, 'name'))} paired`;
    case 'device-revoked': {
      const lost = num(detail, 'lostTasks') ?? 0;
      const base = `Home agent${quoted(str(detail, 'name'))} revoked`;
      return lost > 0 ? `${base}, ${plural(lost, 'running task', 'running tasks')} ended` : base;
    }
    case 'task-submitted': {
      const backend = str(detail, 'backend');
      const workspace = str(detail, 'workspace');
      return backend && workspace ? `Task submitted (${backend} in ${workspace})` : 'Task submitted';
    }
    case 'task-cancelled':
      return 'Task cancelled';
    case 'follow-up-sent':
      return 'Follow-up sent';
    case 'task-closed':
      return 'Task window closed';
    case 'auto-allow-set': {
      const minutes = num(detail, 'minutes');
      return minutes === 0 ? 'Auto-allow stopped' : minutes === null ? 'Auto-allow set' : `Auto-allow on for ${minutes} min`;
    }
    case 'approval-decided': {
      const decision = str(detail, 'decision');
      return decision === 'allowed' ? 'Approval allowed' : decision === 'denied' ? 'Approval denied' : 'Approval decided';
    }
    case 'attachment-uploaded':
      return 'Image attached';
    case 'push-subscribed':
      return `Notifications on${quoted(str(detail, 'service'))}`;
    case 'push-unsubscribed':
      return `Notifications off${quoted(str(detail, 'service'))}`;
  }
}

/** Who acted: "this phone", "session 1a2b3c4d", "home agent “nas”", "setup link", "Hearth" (the system). */
export function auditActor(actor: string, context: AuditContext): string {
  if (actor === 'setup') return 'setup link';
  if (actor === 'system') return 'Hearth';
  const [, kind, id = ''] = /^(session|device):(.+)$/.exec(actor) ?? [];
  if (kind === 'session') return id === context.currentSessionId ? 'this phone' : `session ${shortId(id)}`;
  if (kind === 'device') {
    const name = context.deviceNames.get(id);
    return name ? `home agent “${name}”` : `home agent ${shortId(id)}`;
  }
  return actor;
}

/** The task an entry is about, for a link: the subject of task actions, `detail.taskId` of an approval decision. */
function taskOf(entry: Pick<AuditEntry, 'action' | 'subject' | 'detail'>): string | null {
  switch (entry.action) {
    case 'task-submitted':
    case 'task-cancelled':
    case 'follow-up-sent':
    case 'task-closed':
    case 'auto-allow-set':
      return entry.subject;
    case 'approval-decided':
      return str(entry.detail, 'taskId');
    default:
      return null;
  }
}

/** An entry as the phone shows it. */
export function auditLine(entry: AuditEntry, context: AuditContext): AuditLine {
  const where = [entry.ip, entry.userAgent === null ? null : summarizeUserAgent(entry.userAgent)].filter((part) => part !== null).join(' · ');
  return { action: auditAction(entry), who: auditActor(entry.actor, context), where, taskId: taskOf(entry) };
}

/** The chain's status line: "Chain intact: 12 entries", "Chain broken at #7: …", or "Chain not checked" (no answer). */
export function chainStatus(chain: AuditChain | null): { state: 'intact' | 'broken' | 'unknown'; text: string } {
  if (chain === null) return { state: 'unknown', text: 'Chain not checked' };
  if (chain.ok) return { state: 'intact', text: `Chain intact: ${plural(chain.entries, 'entry', 'entries')}` };
  return { state: 'broken', text: `Chain broken at #${chain.brokenAt}: ${chain.reason}` };
}
