// What the settings lists say about a session, a passkey and a home agent, and what they ask before acting.
import { describe, expect, it } from 'vitest';
import type { DeviceView, PasskeyView, SessionView } from '../protocol/index.ts';
import { deviceText, passkeyText, removePasskeyQuestion, revokeDeviceQuestion, revokeSessionQuestion, sessionText } from './settings-text.ts';

const NOW = 1_700_000_000_000;
const MIN = 60_000;
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const session = (over: Partial<SessionView> = {}): SessionView => ({
  id: '0b7c9a52-4a1e-4c43-9d4e-2f1d0c3b5a69',
  createdAt: NOW - 2 * 60 * MIN,
  lastUsedAt: NOW - 5 * MIN,
  expiresAt: NOW + 1e9,
  idleExpiresAt: NOW + 1e8,
  ip: '203.0.113.9',
  userAgent: IPHONE,
  credentialId: 'abc',
  passkeyVerifiedAt: null,
  current: false,
  ...over,
});
const passkey = (over: Partial<PasskeyView> = {}): PasskeyView => ({
  id: 'abc',
  name: 'Pixel 9',
  createdAt: NOW - 3 * 24 * 60 * MIN,
  lastUsedAt: NOW - 2 * MIN,
  deviceType: 'singleDevice',
  backedUp: false,
  current: false,
  ...over,
});
const device = (over: Partial<DeviceView> = {}): DeviceView => ({
  id: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
  name: 'nas',
  createdAt: NOW - 60 * MIN,
  lastSeenAt: NOW - 30_000,
  revokedAt: null,
  workspaces: ['demo', 'site'],
  backends: ['shell', 'claude'],
  ...over,
});

describe('sessionText', () => {
  it('names the browser, its IP and times, and marks this phone', () => {
    expect(sessionText(session({ current: true }), NOW)).toEqual({
      title: 'Safari on iPhone',
      badge: 'This phone',
      facts: ['IP 203.0.113.9', 'signed in 2 h ago', 'last used 5 min ago'],
    });
  });

  it('another session has no badge; unknown IP and browser are said so', () => {
    expect(sessionText(session({ ip: null, userAgent: null }), NOW)).toMatchObject({ title: 'Unknown browser', badge: null, facts: ['IP unknown', 'signed in 2 h ago', 'last used 5 min ago'] });
  });
});

describe('passkeyText', () => {
  it('names it, marks the one this phone signed in with, says when it was made and used', () => {
    expect(passkeyText(passkey({ current: true }), NOW)).toEqual({ title: 'Pixel 9', badge: 'This phone’s', facts: ['created 3 d ago', 'last used 2 min ago'] });
  });

  it('says when it was never used and when it is synced', () => {
    expect(passkeyText(passkey({ lastUsedAt: null, deviceType: 'multiDevice' }), NOW).facts).toEqual(['created 3 d ago', 'never used to sign in', 'synced']);
  });
});

describe('deviceText', () => {
  it('lists what a live agent offers and when it was last seen', () => {
    expect(deviceText(device(), NOW)).toEqual({ title: 'nas', badge: null, facts: ['workspaces: demo, site', 'backends: shell, claude', 'last seen 30 s ago'] });
  });

  it('marks a revoked agent and says when', () => {
    expect(deviceText(device({ revokedAt: NOW - 10 * MIN }), NOW)).toMatchObject({ badge: 'Revoked', facts: ['workspaces: demo, site', 'backends: shell, claude', 'revoked 10 min ago'] });
  });

  it('an agent that never advertised or connected says so', () => {
    expect(deviceText(device({ lastSeenAt: null, workspaces: [], backends: [] }), NOW).facts).toEqual([
      'no workspaces advertised yet',
      'no backends advertised yet',
      'never connected',
    ]);
  });
});

describe('questions before acting', () => {
  it('revoking this phone’s session warns it signs out here', () => {
    expect(revokeSessionQuestion(session({ current: true }))).toMatch(/signed out here/);
    expect(revokeSessionQuestion(session())).toBe('Revoke the session of Safari on iPhone? That browser is signed out at once.');
  });

  it('removing a passkey says what it signs out', () => {
    expect(removePasskeyQuestion(passkey({ current: true }))).toMatch(/^Remove the passkey “Pixel 9”\?.*This phone is signed out too/);
    expect(removePasskeyQuestion(passkey())).toMatch(/Sessions that signed in with it are signed out\.$/);
  });

  it('revoking a home agent says its running tasks end', () => {
    expect(revokeDeviceQuestion(device())).toMatch(/^Revoke “nas”\?.*its running tasks end/);
  });
});
