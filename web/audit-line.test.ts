// Table tests for how audit entries read on the phone: each action's sentence from its detail (odd details fall back
// to a plain sentence), who acted, from where, the task an entry links to, and the chain's status line.
import { describe, expect, it } from 'vitest';
import type { AuditAction, AuditEntry } from '../protocol/index.ts';
import { auditAction, auditActor, auditLine, chainStatus, type AuditContext } from './audit-line.ts';

const SESSION = '0b7c9a52-4a1e-4c43-9d4e-2f1d0c3b5a69';
const OTHER = '9f3e2d1c-5b4a-4987-8a6b-5c4d3e2f1a0b';
const DEVICE = 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6';
const TASK = '6f1c2a7e-3b4d-4c5e-8f90-123456789abc';
const context: AuditContext = { currentSessionId: SESSION, deviceNames: new Map([[DEVICE, 'nas']]) };

const entry = (action: AuditAction, over: Partial<AuditEntry> = {}): AuditEntry => ({
  ownerId: 'owner',
  seq: 7,
  at: 1_700_000_000_000,
  action,
  actor: `session:${SESSION}`,
  ip: '203.0.113.9',
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  subject: null,
  detail: {},
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  ...over,
});

describe('auditAction', () => {
  it.each<[AuditAction, Partial<AuditEntry>, string]>([
    ['setup-link-created', { detail: { expiresAt: 1 } }, 'Setup link created'],
    ['passkey-registered', { detail: { name: 'Pixel 9' } }, 'Passkey “Pixel 9” added'],
    ['passkey-registered', { detail: { name: 42 } }, 'Passkey added'],
    ['passkey-removed', { detail: { sessionsRevoked: 2 } }, 'Passkey removed, 2 sessions signed out'],
    ['passkey-removed', { detail: { sessionsRevoked: 1 } }, 'Passkey removed, 1 session signed out'],
    ['passkey-removed', { detail: { sessionsRevoked: 0 } }, 'Passkey removed'],
    ['sign-in', {}, 'Signed in'],
    ['sign-in', { detail: { via: 'setup-link' } }, 'Signed in with a new passkey'],
    ['sign-in-failed', { detail: { reason: 'bad signature', ceremony: 'authenticate' } }, 'Sign-in refused: bad signature'],
    ['sign-in-failed', { detail: { ceremony: 'reverify' } }, 'Passkey check refused'],
    ['sign-out', {}, 'Signed out'],
    ['session-revoked', { subject: OTHER }, 'Session 9f3e2d1c revoked'],
    ['session-revoked', {}, 'Session revoked'],
    ['passkey-reverified', {}, 'Passkey confirmed'],
    ['pairing-approved', { detail: { deviceName: 'nas' } }, 'Pairing approved “nas”'],
    ['pairing-denied', { detail: {} }, 'Pairing denied'],
    ['device-paired', { detail: { name: 'nas', pairing: 'x' } }, 'Home agent “nas” paired'],
    ['device-revoked', { detail: { name: 'nas', lostTasks: 0 } }, 'Home agent “nas” revoked'],
    ['device-revoked', { detail: { name: 'nas', lostTasks: 3 } }, 'Home agent “nas” revoked, 3 running tasks ended'],
    ['task-submitted', { detail: { workspace: 'demo', backend: 'claude' } }, 'Task submitted (claude in demo)'],
    ['task-submitted', { detail: { workspace: 'demo' } }, 'Task submitted'],
    ['task-cancelled', {}, 'Task cancelled'],
    ['follow-up-sent', {}, 'Follow-up sent'],
    ['task-closed', {}, 'Task window closed'],
    ['auto-allow-set', { detail: { minutes: 10 } }, 'Auto-allow on for 10 min'],
    ['auto-allow-set', { detail: { minutes: 0 } }, 'Auto-allow stopped'],
    ['auto-allow-set', { detail: { minutes: '10' } }, 'Auto-allow set'],
    ['approval-decided', { detail: { decision: 'allowed' } }, 'Approval allowed'],
    ['approval-decided', { detail: { decision: 'denied' } }, 'Approval denied'],
    ['approval-decided', { detail: { decision: ['allowed'] } }, 'Approval decided'],
  ])('%s %j → %s', (action, over, expected) => expect(auditAction(entry(action, over))).toBe(expected));
});

describe('auditActor', () => {
  it.each<[string, string]>([
    [`session:${SESSION}`, 'this phone'],
    [`session:${OTHER}`, 'session 9f3e2d1c'],
    [`device:${DEVICE}`, 'home agent “nas”'],
    [`device:${OTHER}`, 'home agent 9f3e2d1c'],
    ['setup', 'setup link'],
    ['system', 'Hearth'],
    ['session:', 'session:'],
    ['something-else', 'something-else'],
  ])('%s → %s', (actor, expected) => expect(auditActor(actor, context)).toBe(expected));

  it('does not call a session "this phone" when the current one is unknown', () => {
    expect(auditActor(`session:${SESSION}`, { currentSessionId: null, deviceNames: new Map() })).toBe('session 0b7c9a52');
  });
});

describe('auditLine', () => {
  it('says what, who and from where', () => {
    expect(auditLine(entry('sign-in'), context)).toEqual({ action: 'Signed in', who: 'this phone', where: '203.0.113.9 · Chrome on Android', taskId: null });
  });

  it('leaves out what the entry did not record', () => {
    expect(auditLine(entry('device-paired', { actor: `device:${DEVICE}`, ip: null, userAgent: null }), context).where).toBe('');
    expect(auditLine(entry('sign-in', { userAgent: null }), context).where).toBe('203.0.113.9');
  });

  it('links task actions and approval decisions to their task, nothing else', () => {
    expect(auditLine(entry('task-submitted', { subject: TASK }), context).taskId).toBe(TASK);
    expect(auditLine(entry('task-cancelled', { subject: TASK }), context).taskId).toBe(TASK);
    expect(auditLine(entry('approval-decided', { subject: OTHER, detail: { decision: 'allowed', taskId: TASK } }), context).taskId).toBe(TASK);
    expect(auditLine(entry('session-revoked', { subject: OTHER }), context).taskId).toBeNull();
  });
});

describe('chainStatus', () => {
  it.each<[Parameters<typeof chainStatus>[0], ReturnType<typeof chainStatus>]>([
    [{ ok: true, entries: 12, head: 'a'.repeat(64) }, { state: 'intact', text: 'Chain intact: 12 entries' }],
    [{ ok: true, entries: 1, head: 'a'.repeat(64) }, { state: 'intact', text: 'Chain intact: 1 entry' }],
    [{ ok: true, entries: 0, head: null }, { state: 'intact', text: 'Chain intact: 0 entries' }],
    [{ ok: false, brokenAt: 7, reason: 'hash does not match' }, { state: 'broken', text: 'Chain broken at #7: hash does not match' }],
    [null, { state: 'unknown', text: 'Chain not checked' }],
  ])('%j', (chain, expected) => expect(chainStatus(chain)).toEqual(expected));
});
