// The words the settings page shows for a session, a passkey and a home agent, and the questions it asks before
// revoking or removing one. Pure: views and the current time (epoch ms) in, strings out.
import type { DeviceView, PasskeyView, SessionView } from '../protocol/index.ts';
import { relativeTime } from './relative-time.ts';
import { summarizeUserAgent } from './user-agent.ts';

/** A list item's text: a title, an optional badge ("This phone"), and short facts under it. */
export type ItemText = { title: string; badge: string | null; facts: string[] };

/** "Chrome on Android" · "This phone" · IP, when it signed in, when it was last used. */
export function sessionText(session: SessionView, nowMs: number): ItemText {
  return {
    title: summarizeUserAgent(session.userAgent),
    badge: session.current ? 'This phone' : null,
    facts: [
      `IP ${session.ip ?? 'unknown'}`,
      `signed in ${relativeTime(session.createdAt, nowMs)}`,
      `last used ${relativeTime(session.lastUsedAt, nowMs)}`,
    ],
  };
}

/** The passkey's name · "This phone's" on the one this session signed in with · created, last used, synced. */
export function passkeyText(passkey: PasskeyView, nowMs: number): ItemText {
  const facts = [
    `created ${relativeTime(passkey.createdAt, nowMs)}`,
    passkey.lastUsedAt === null ? 'never used to sign in' : `last used ${relativeTime(passkey.lastUsedAt, nowMs)}`,
  ];
  if (passkey.deviceType === 'multiDevice') facts.push('synced');
  return { title: passkey.name, badge: passkey.current ? 'This phone’s' : null, facts };
}

/** The agent's name · "Revoked" when it is · what it offers and when it was last seen. */
export function deviceText(device: DeviceView, nowMs: number): ItemText {
  const seen = device.lastSeenAt === null ? 'never connected' : `last seen ${relativeTime(device.lastSeenAt, nowMs)}`;
  const facts = [
    device.workspaces.length ? `workspaces: ${device.workspaces.join(', ')}` : 'no workspaces advertised yet',
    device.backends.length ? `backends: ${device.backends.join(', ')}` : 'no backends advertised yet',
    device.revokedAt === null ? seen : `revoked ${relativeTime(device.revokedAt, nowMs)}`,
  ];
  return { title: device.name, badge: device.revokedAt === null ? null : 'Revoked', facts };
}

/** What revoking a session does, asked before doing it. */
export function revokeSessionQuestion(session: SessionView): string {
  return session.current
    ? 'Revoke this phone’s session? You will be signed out here.'
    : `Revoke the session of ${summarizeUserAgent(session.userAgent)}? That browser is signed out at once.`;
}

/** What removing a passkey does, asked before doing it. */
export function removePasskeyQuestion(passkey: PasskeyView): string {
  const signsOut = passkey.current ? 'This phone is signed out too, since it signed in with it.' : 'Sessions that signed in with it are signed out.';
  return `Remove the passkey “${passkey.name}”? It can no longer sign in. ${signsOut}`;
}

/** What revoking a home agent does, asked before doing it. */
export function revokeDeviceQuestion(device: DeviceView): string {
  return `Revoke “${device.name}”? It is disconnected at once and can no longer run tasks; its running tasks end. Pairing it again needs a new code.`;
}
