// The security suite's map of the Worker's routes: the route list read from the app itself (createApp's Hono routes,
// so a new route without a fixture fails the suite), one fixture per route saying who it lets in and how to call it
// on a victim's things, and the rule that says whether an answer got through.
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { AuthenticationOptionsResponse } from '../../protocol/index.ts';
import { softAuthenticator } from '../../scripts/soft-authenticator.ts';
import { createApp } from '../../worker/app.ts';
import { TINY_PNG, type OwnerThings, type SecurityOwner, type SecurityWorld } from './security-world.ts';

/** `METHOD /api/path/:param` for every route the app serves; middleware-only entries (`use`) left out. */
export function appRoutes(): string[] {
  const routes = createApp({ fetch, now: Date.now }).routes;
  const handled = new Set(routes.filter((r) => r.method !== 'ALL').map((r) => r.path));
  // `use()` registers ALL entries; an ALL entry on a path no method route has would be a real catch-all: keep it.
  const catchAll = routes.filter((r) => r.method === 'ALL' && !r.path.endsWith('*') && !handled.has(r.path));
  return [...new Set([...routes.filter((r) => r.method !== 'ALL'), ...catchAll].map((r) => `${r.method} ${r.path}`))].sort();
}

/** Who calls: no credentials, made-up credentials, another owner (its session or its agent), the owner itself. */
export type Caller = 'nobody' | 'forged' | 'other' | 'owner';
export type RouteCall = { method: string; path: string; body?: unknown };
export type FixtureContext = { world: SecurityWorld; victim: SecurityOwner; things: OwnerThings; other: SecurityOwner };

export type RouteFixture = {
  /** What the route requires: a phone session, an agent token, the setup secret, or nothing (public). */
  auth: 'phone' | 'agent' | 'setup' | 'public';
  /** 'target': acts on the victim's things by id (any 2xx/3xx got through); 'own': the caller's own scope (a list, a create). */
  scope: 'target' | 'own';
  /** Routes meant to answer anyone, and why their 2xx grants nothing (they got through only by a cookie, a token or a leak). */
  open?: string;
  call: (c: FixtureContext, caller: Caller) => RouteCall | Promise<RouteCall>;
};

const post = (path: string, body: unknown = {}): RouteCall => ({ method: 'POST', path, body });
const get = (path: string): RouteCall => ({ method: 'GET', path });
const del = (path: string): RouteCall => ({ method: 'DELETE', path });
const randomSecret = (): string => randomBytes(32).toString('base64url');
/** A fresh PushSubscription.toJSON()-like body to an unreachable push service (a P-256 point and a 16-byte secret). */
const pushSubscription = () => {
  const ecdh = createECDH('prime256v1');
  return { endpoint: `https://push.example.invalid/push/${randomUUID()}`, keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
};

/** Options for an assertion from the public sign-in endpoint (counts against the sign-in limit). */
async function signInOptions(c: FixtureContext): Promise<AuthenticationOptionsResponse> {
  const res = await c.world.api.post('/api/auth/passkey/options', {});
  return AuthenticationOptionsResponse.parse(await res.json());
}

/** Keyed by `METHOD path` exactly as appRoutes() spells it. */
export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/setup/link': { auth: 'setup', scope: 'target', call: (c) => post('/api/setup/link', { owner: c.victim.name }) },
  'POST /api/setup/passkey/options': { auth: 'public', scope: 'target', call: () => post('/api/setup/passkey/options', { token: randomSecret() }) },
  'POST /api/setup/passkey': {
    auth: 'public',
    scope: 'target',
    call: (c) => {
      const { challengeId, options } = c.things.passkeyChallenge;
      return post('/api/setup/passkey', { token: randomSecret(), challengeId, credential: softAuthenticator().create(options, c.world.worker.url) });
    },
  },
  'POST /api/auth/passkey/options': { auth: 'public', scope: 'own', open: 'issues a sign-in challenge', call: () => post('/api/auth/passkey/options') },
  'POST /api/auth/passkey': {
    auth: 'public',
    scope: 'target',
    // Nobody: the victim's own assertion relayed from a phishing origin. Another owner: its assertion under the victim's credential id.
    call: async (c, caller) => {
      const { challengeId, options } = await signInOptions(c);
      const url = c.world.worker.url;
      const credential = caller === 'other'
        ? { ...c.other.authenticator.get(options, url), id: c.victim.passkeyId, rawId: c.victim.passkeyId }
        : c.victim.authenticator.get(options, url, { origin: 'https://evil.example' });
      return post('/api/auth/passkey', { challengeId, credential });
    },
  },
  'POST /api/auth/reverify/options': { auth: 'phone', scope: 'own', call: () => post('/api/auth/reverify/options') },
  'POST /api/auth/reverify': {
    auth: 'phone',
    scope: 'target',
    // The victim's passkey proving a session it does not own (another owner's, or none at all).
    call: async (c, caller) => {
      const res = caller === 'other' ? await c.world.api.post('/api/auth/reverify/options', {}, c.other.cookie) : null;
      const { challengeId, options } = res ? AuthenticationOptionsResponse.parse(await res.json()) : await signInOptions(c);
      return post('/api/auth/reverify', { challengeId, credential: c.victim.authenticator.get(options, c.world.worker.url, { credentialId: c.victim.passkeyId }) });
    },
  },
  'POST /api/auth/sign-out': { auth: 'phone', scope: 'own', call: () => post('/api/auth/sign-out') },
  'GET /api/me': { auth: 'phone', scope: 'own', call: () => get('/api/me') },
  'GET /api/sessions': { auth: 'phone', scope: 'own', call: () => get('/api/sessions') },
  'DELETE /api/sessions/:id': { auth: 'phone', scope: 'target', call: (c) => del(`/api/sessions/${c.victim.sessionId}`) },
  'GET /api/passkeys': { auth: 'phone', scope: 'own', call: () => get('/api/passkeys') },
  'POST /api/passkeys/options': { auth: 'phone', scope: 'own', call: () => post('/api/passkeys/options') },
  'POST /api/passkeys': {
    auth: 'phone',
    scope: 'target',
    call: (c) => {
      const { challengeId, options } = c.things.passkeyChallenge;
      return post('/api/passkeys', { challengeId, credential: softAuthenticator().create(options, c.world.worker.url), name: 'intruder' });
    },
  },
  'PATCH /api/passkeys/:id': { auth: 'phone', scope: 'target', call: (c) => ({ method: 'PATCH', path: `/api/passkeys/${c.victim.passkeyId}`, body: { name: 'renamed' } }) },
  'DELETE /api/passkeys/:id': { auth: 'phone', scope: 'target', call: (c) => del(`/api/passkeys/${c.victim.passkeyId}`) },
  'POST /api/device/code': { auth: 'public', scope: 'own', open: 'issues a pairing code bound to no owner', call: () => post('/api/device/code', { client_id: 'hearth-agent', device_name: 'intruder' }) },
  'POST /api/device/token': {
    auth: 'public',
    scope: 'target',
    call: (c) => post('/api/device/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: c.victim.agent.deviceCode, client_id: 'hearth-agent' }),
  },
  'POST /api/device/approve': { auth: 'phone', scope: 'target', call: (c) => post('/api/device/approve', { user_code: c.victim.agent.userCode }) },
  'POST /api/device/deny': { auth: 'phone', scope: 'target', call: (c) => post('/api/device/deny', { user_code: c.victim.agent.userCode }) },
  'GET /api/devices': { auth: 'phone', scope: 'own', call: () => get('/api/devices') },
  'DELETE /api/devices/:id': { auth: 'phone', scope: 'target', call: (c) => del(`/api/devices/${c.victim.agent.deviceId}`) },
  'POST /api/room-ticket': { auth: 'phone', scope: 'own', call: () => post('/api/room-ticket') },
  'GET /api/workspaces': { auth: 'phone', scope: 'own', call: () => get('/api/workspaces') },
  'POST /api/tasks': { auth: 'phone', scope: 'own', call: () => post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: 'echo intruder' }) },
  'GET /api/tasks': { auth: 'phone', scope: 'own', call: () => get('/api/tasks') },
  'GET /api/tasks/:id': { auth: 'phone', scope: 'target', call: (c) => get(`/api/tasks/${c.things.runningTask}`) },
  'POST /api/tasks/:id/cancel': { auth: 'phone', scope: 'target', call: (c) => post(`/api/tasks/${c.things.queuedTask}/cancel`) },
  'POST /api/tasks/:id/auto-allow': { auth: 'phone', scope: 'target', call: (c) => post(`/api/tasks/${c.things.runningTask}/auto-allow`, { minutes: 60 }) },
  'POST /api/tasks/:id/follow-ups': { auth: 'phone', scope: 'target', call: (c) => post(`/api/tasks/${c.things.openTask}/follow-ups`, { id: randomUUID(), text: 'rm -rf ~' }) },
  'POST /api/tasks/:id/close': { auth: 'phone', scope: 'target', call: (c) => post(`/api/tasks/${c.things.openTask}/close`) },
  'GET /api/approvals': { auth: 'phone', scope: 'own', call: () => get('/api/approvals?status=all') },
  'GET /api/approvals/:id': { auth: 'phone', scope: 'target', call: (c) => get(`/api/approvals/${c.things.approval.id}`) },
  'POST /api/approvals/:id/decision': {
    auth: 'phone',
    scope: 'target',
    call: (c) => post(`/api/approvals/${c.things.approval.id}/decision`, { decision: 'allow', inputHash: c.things.approval.inputHash }),
  },
  'GET /api/audit': { auth: 'phone', scope: 'own', call: () => get('/api/audit') },
  'PUT /api/agent/capabilities': { auth: 'agent', scope: 'own', call: () => ({ method: 'PUT', path: '/api/agent/capabilities', body: { workspaces: ['repo'], backends: ['shell'], maxConcurrent: 1 } }) },
  'GET /api/agent/tasks/queued': { auth: 'agent', scope: 'own', call: () => get('/api/agent/tasks/queued') },
  'GET /api/agent/tasks/:id': { auth: 'agent', scope: 'target', call: (c) => get(`/api/agent/tasks/${c.things.runningTask}`) },
  'POST /api/agent/tasks/:id/claim': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/tasks/${c.things.queuedTask}/claim`) },
  'POST /api/agent/tasks/:id/heartbeat': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/tasks/${c.things.runningTask}/heartbeat`) },
  'POST /api/agent/tasks/:id/status': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/tasks/${c.things.runningTask}/status`, { status: 'running' }) },
  'POST /api/agent/tasks/:id/finish': {
    auth: 'agent',
    scope: 'target',
    call: (c) => post(`/api/agent/tasks/${c.things.runningTask}/finish`, { status: 'failed', exitCode: 1, error: null, finalScreen: ['forged'] }),
  },
  'POST /api/agent/tasks/:id/close': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/tasks/${c.things.openTask}/close`) },
  'POST /api/agent/tasks/:id/approvals': {
    auth: 'agent',
    scope: 'target',
    call: (c) => {
      const request = { tool: 'Bash', summary: 'id', detail: 'id', cwd: '/tmp', source: 'hook' };
      return post(`/api/agent/tasks/${c.things.runningTask}/approvals`, { id: randomUUID(), inputHash: 'a'.repeat(64), deadlineMs: 60_000, request });
    },
  },
  'GET /api/agent/approvals/:id': { auth: 'agent', scope: 'target', call: (c) => get(`/api/agent/approvals/${c.things.approval.id}`) },
  'POST /api/agent/approvals/:id/withdraw': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/approvals/${c.things.approval.id}/withdraw`) },
  'GET /api/agent/follow-ups': { auth: 'agent', scope: 'own', call: () => get('/api/agent/follow-ups') },
  'POST /api/agent/follow-ups/:id/deliver': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/follow-ups/${c.things.followUp}/deliver`) },
  // The caller's own session's subscription only: no route takes another session's or owner's subscription by id.
  'GET /api/push': { auth: 'phone', scope: 'own', call: () => get('/api/push') },
  'PUT /api/push/subscription': { auth: 'phone', scope: 'own', call: () => ({ method: 'PUT', path: '/api/push/subscription', body: pushSubscription() }) },
  'PATCH /api/push/subscription': { auth: 'phone', scope: 'own', call: () => ({ method: 'PATCH', path: '/api/push/subscription', body: { events: [] } }) },
  'DELETE /api/push/subscription': { auth: 'phone', scope: 'own', call: () => del('/api/push/subscription') },
  'POST /api/attachments': { auth: 'phone', scope: 'own', call: () => post('/api/attachments', { name: 'intruder.png', mediaType: 'image/png', data: TINY_PNG }) },
  'DELETE /api/attachments/:id': { auth: 'phone', scope: 'target', call: (c) => del(`/api/attachments/${c.things.looseAttachment}`) },
  'GET /api/agent/attachments/:id': { auth: 'agent', scope: 'target', call: (c) => get(`/api/agent/attachments/${c.things.taskAttachment}`) },
  'POST /api/agent/attachments/:id/received': { auth: 'agent', scope: 'target', call: (c) => post(`/api/agent/attachments/${c.things.taskAttachment}/received`) },
};

/** Strings that name the victim or its things: any of them in an answer to someone else is a leak. */
export function victimMarkers(victim: SecurityOwner, things: OwnerThings): string[] {
  return [
    victim.name, victim.ownerId, victim.sessionId, victim.passkeyId, victim.agent.deviceId,
    things.queuedTask, things.runningTask, things.openTask, things.followedTask, things.approval.id, things.followUp,
    things.looseAttachment, things.taskAttachment,
  ];
}

/** The headers `caller` brings to a route with `auth`: the victim's or another owner's credentials, made-up ones, or none. */
function credentials(fixture: RouteFixture, caller: Caller, c: FixtureContext): Record<string, string> {
  const forgedCookie = { cookie: `hearth_session=${randomSecret()}` };
  if (caller === 'nobody') return {};
  if (fixture.auth === 'agent') {
    const token = caller === 'forged' ? randomSecret() : caller === 'other' ? c.other.agent.token : c.victim.agent.token;
    return { authorization: `Bearer ${token}` };
  }
  if (fixture.auth === 'setup' && caller === 'forged') return { authorization: `Bearer ${randomSecret()}` };
  if (caller === 'forged') return forgedCookie;
  return { cookie: caller === 'other' ? c.other.cookie : c.victim.cookie };
}

export type Attempt = { route: string; caller: Caller; status: number; success: boolean; why: string };

/**
 * Call `route` as `caller` the way the app's own page would (JSON, the Worker's Origin on writes), and judge the answer:
 * it got through when it is 2xx/3xx on a route that acts on the victim's things (or on any non-open route for a caller
 * with no real credentials), when it names one of `markers`, or when it hands out a session cookie or an access token.
 */
export async function attempt(route: string, fixture: RouteFixture, caller: Caller, c: FixtureContext, markers: string[]): Promise<Attempt> {
  const call = await fixture.call(c, caller);
  const write = call.method !== 'GET' && call.method !== 'HEAD';
  const headers: Record<string, string> = {
    ...credentials(fixture, caller, c),
    ...(write ? { origin: c.world.worker.url, 'content-type': 'application/json' } : {}),
  };
  const res = await fetch(`${c.world.worker.url}${call.path}`, {
    method: call.method,
    headers,
    redirect: 'manual',
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  const text = await res.text();
  const passed = res.status >= 200 && res.status < 400;
  const signedIn = caller === 'other' || caller === 'owner';
  const leaked = markers.find((m) => text.includes(m));
  const why =
    passed && fixture.scope === 'target' ? `answered ${res.status} on the victim's thing`
    : passed && !signedIn && !fixture.open ? `answered ${res.status} without real credentials`
    : leaked !== undefined ? `the answer names ${leaked}`
    : /hearth_session=[^;]/.test(res.headers.get('set-cookie') ?? '') ? 'set a session cookie'
    : text.includes('access_token') ? 'handed out an access token'
    : '';
  return { route, caller, status: res.status, success: why !== '', why };
}
