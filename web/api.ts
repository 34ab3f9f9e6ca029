// The phone's HTTP client for the Worker: JSON in, every answer parsed with its protocol schema, failures as ApiError.
// Owns no state and no DOM; session auth is the same-origin `hearth_session` cookie, never a header or URL.
import { z } from 'zod';
import {
  AddPasskeyRequest,
  ApprovalList,
  ApprovalView,
  AssertionRequest,
  AttachmentView,
  AuditPage,
  AuthenticationOptionsResponse,
  AutoAllowRequest,
  CreateAttachmentRequest,
  CreateTaskRequest,
  DecisionRequest,
  DeviceDecisionRequest,
  DeviceList,
  DeviceView,
  ERROR_TITLES,
  FollowUpRequest,
  FollowUpView,
  Me,
  PasskeyList,
  PasskeyView,
  PatchPushSubscriptionRequest,
  PushState,
  PushSubscriptionView,
  PutPushSubscriptionRequest,
  RegistrationOptionsResponse,
  RenamePasskeyRequest,
  ReverifyResponse,
  RoomTicketResponse,
  SetupOptionsRequest,
  SessionList,
  SetupPasskeyRequest,
  TaskList,
  TaskView,
  WorkspaceList,
  type PushEvent,
} from '../protocol/index.ts';
import { ApiError, badResponse, errorFromResponse, networkError } from './api-error.ts';

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The Worker's phone-facing endpoints. Every method rejects with an ApiError. */
export type Api = ReturnType<typeof createApi>;

/** Check an outgoing body against its schema, so a bad input fails here with the same ApiError shape. */
function checked<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const invalidParams = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  throw new ApiError({ status: 0, code: 'invalid-request', title: ERROR_TITLES['invalid-request'], invalidParams });
}

/** Build the client. `fetch` is injected (the page passes window.fetch); paths are same-origin. */
export function createApi(deps: { fetch: Fetch }) {
  /** Send one request; resolves with the 2xx status and body text, rejects with an ApiError otherwise. */
  async function exchange(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await deps.fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      text = await response.text();
    } catch (cause) {
      throw networkError(cause);
    }
    if (!response.ok) throw errorFromResponse(response.status, response.headers.get('Content-Type'), text);
    return { status: response.status, text };
  }

  /** A request whose 2xx body must match `schema`. */
  async function call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const { status, text } = await exchange(method, path, body);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw badResponse(status, `${method} ${path}: not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw badResponse(status, `${method} ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  /** A POST whose 2xx body carries nothing the phone needs (an acknowledgement or 204). */
  async function post(path: string, body: unknown): Promise<void> {
    await exchange('POST', path, body);
  }

  /** A DELETE answered 204 (no body). */
  async function remove(path: string): Promise<void> {
    await exchange('DELETE', path);
  }

  const taskPath = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
  const approvalPath = (id: string) => `/api/approvals/${encodeURIComponent(id)}`;
  const passkeyPath = (id: string) => `/api/passkeys/${encodeURIComponent(id)}`;

  return {
    /** POST /api/setup/passkey/options: start creating a passkey with the setup link's token (401 when the link is dead). */
    setupOptions: async (token: string) => call('POST', '/api/setup/passkey/options', RegistrationOptionsResponse, checked(SetupOptionsRequest, { token })),
    /** POST /api/setup/passkey: store the new passkey, spend the link, sign in (sets the session cookie). */
    setupPasskey: async (token: string, challengeId: string, credential: unknown) =>
      call('POST', '/api/setup/passkey', Me, checked(SetupPasskeyRequest, { token, challengeId, credential })),
    /** POST /api/auth/passkey/options: start a discoverable passkey sign-in. */
    signInOptions: () => call('POST', '/api/auth/passkey/options', AuthenticationOptionsResponse, {}),
    /** POST /api/auth/passkey: finish it (sets the session cookie); 401 when the passkey is not accepted. */
    signInWithPasskey: async (challengeId: string, credential: unknown) =>
      call('POST', '/api/auth/passkey', Me, checked(AssertionRequest, { challengeId, credential })),
    /** POST /api/auth/reverify/options: start proving a passkey again for this session. */
    reverifyOptions: () => call('POST', '/api/auth/reverify/options', AuthenticationOptionsResponse, {}),
    /** POST /api/auth/reverify: finish it; the session counts as passkey-verified for 5 minutes. */
    reverify: async (challengeId: string, credential: unknown) =>
      call('POST', '/api/auth/reverify', ReverifyResponse, checked(AssertionRequest, { challengeId, credential })),
    /** POST /api/auth/sign-out: ends this phone's session. */
    signOut: () => post('/api/auth/sign-out', {}),
    /** GET /api/me: who is signed in; 401 (code `unauthenticated`) when nobody is. */
    me: () => call('GET', '/api/me', Me),
    /** GET /api/workspaces: what the owner's agents can run. */
    workspaces: () => call('GET', '/api/workspaces', WorkspaceList),
    /** GET /api/tasks: the owner's tasks (the caller sorts). */
    listTasks: () => call('GET', '/api/tasks', TaskList),
    /** GET /api/tasks/:id: one task, with `finalScreen` once it has ended. */
    getTask: (id: string) => call('GET', taskPath(id), TaskView),
    /** POST /api/tasks: queue a task; the request is checked against the schema (CreateTaskRequest) before it is sent. */
    createTask: async (request: { workspace: string; backend: string; prompt: string; model?: string; attachmentIds?: string[] }) =>
      call('POST', '/api/tasks', TaskView, checked(CreateTaskRequest, request)),
    /** POST /api/tasks/:id/cancel: 409 (`conflict`) when the task has already ended. */
    cancelTask: (id: string) => call('POST', `${taskPath(id)}/cancel`, TaskView, {}),
    /**
     * POST /api/tasks/:id/follow-ups: type `text` into the open window of a succeeded task. `id` (a uuid) is chosen by
     * the caller and reused on a retry, so a message is never typed twice (a retry gets 200 with the stored one). 409
     * (`conflict`, the detail says why) when the window is not open or `id` was used for other text; 404 unknown.
     */
    sendFollowUp: async (taskId: string, id: string, text: string) =>
      call('POST', `${taskPath(taskId)}/follow-ups`, FollowUpView, checked(FollowUpRequest, { id, text })),
    /** POST /api/tasks/:id/close: end an open window's session (the agent quits the CLI); 409 when it is not open. */
    closeSession: (taskId: string) => call('POST', `${taskPath(taskId)}/close`, TaskView, {}),
    /** GET /api/approvals?status=pending (soonest deadline first) or ?status=all (newest first). */
    listApprovals: (status: 'pending' | 'all') => call('GET', `/api/approvals?status=${status}`, ApprovalList),
    /** GET /api/approvals/:id: one approval, whatever its status. */
    getApproval: (id: string) => call('GET', approvalPath(id), ApprovalView),
    /**
     * POST /api/approvals/:id/decision, bound to the `inputHash` the phone was shown. 409 (`conflict`, with a
     * detail saying why) when already decided, past the deadline or for another input; 404 when unknown.
     */
    decideApproval: async (id: string, decision: 'allow' | 'deny', inputHash: string) =>
      call('POST', `${approvalPath(id)}/decision`, ApprovalView, checked(DecisionRequest, { decision, inputHash })),
    /** POST /api/tasks/:id/auto-allow: allow what the home policy would ask about for `minutes` (0 stops it). */
    autoAllow: async (taskId: string, minutes: number) =>
      call('POST', `${taskPath(taskId)}/auto-allow`, TaskView, checked(AutoAllowRequest, { minutes })),
    /** POST /api/device/approve: let the home agent showing `userCode` pair with this owner. */
    approveDevice: async (userCode: string) =>
      post('/api/device/approve', checked(DeviceDecisionRequest, { user_code: userCode })),
    /** POST /api/device/deny: refuse the pairing request showing `userCode`. */
    denyDevice: async (userCode: string) =>
      post('/api/device/deny', checked(DeviceDecisionRequest, { user_code: userCode })),
    /** POST /api/room-ticket: a single-use, 60 s ticket for one room connection. */
    roomTicket: () => call('POST', '/api/room-ticket', RoomTicketResponse, {}),
    /** GET /api/sessions: the owner's live sessions, newest first, `current` on this phone's. */
    listSessions: () => call('GET', '/api/sessions', SessionList),
    /** DELETE /api/sessions/:id: sign that session out (this phone's own too: the cookie is cleared). 409 when already revoked. */
    revokeSession: (id: string) => remove(`/api/sessions/${encodeURIComponent(id)}`),
    /** GET /api/passkeys: the owner's passkeys, oldest first, `current` on the one this session signed in with. */
    listPasskeys: () => call('GET', '/api/passkeys', PasskeyList),
    /** POST /api/passkeys/options: start registering another passkey; 403 `reverify-required` without a recent passkey check. */
    addPasskeyOptions: () => call('POST', '/api/passkeys/options', RegistrationOptionsResponse, {}),
    /** POST /api/passkeys: finish it; 409 when the challenge is spent or the passkey already registered. */
    addPasskey: async (challengeId: string, credential: unknown, name?: string) =>
      call('POST', '/api/passkeys', PasskeyView, checked(AddPasskeyRequest, { challengeId, credential, ...(name ? { name } : {}) })),
    /** PATCH /api/passkeys/:id: rename a passkey. */
    renamePasskey: async (id: string, name: string) => call('PATCH', passkeyPath(id), PasskeyView, checked(RenamePasskeyRequest, { name })),
    /**
     * DELETE /api/passkeys/:id: remove a passkey and sign out the sessions it signed in. 403 `reverify-required`
     * without a recent passkey check; 409 (with the reason) for the owner's last passkey.
     */
    removePasskey: (id: string) => remove(passkeyPath(id)),
    /** GET /api/devices: the owner's paired home agents, newest first, revoked ones included. */
    listDevices: () => call('GET', '/api/devices', DeviceList),
    /** DELETE /api/devices/:id: revoke a home agent (its token stops working, its running tasks end `lost`). */
    revokeDevice: (id: string) => call('DELETE', `/api/devices/${encodeURIComponent(id)}`, DeviceView),
    /** GET /api/audit: a page of the audit log, newest first; `before` pages back; the first page carries `chain`. */
    auditPage: (before?: number) => call('GET', before === undefined ? '/api/audit' : `/api/audit?before=${before}`, AuditPage),
    /** GET /api/push: the VAPID public key (null: push is off on the server), this phone's subscription, the owner's. */
    pushState: () => call('GET', '/api/push', PushState),
    /** PUT /api/push/subscription: store this phone's subscription (`events` omitted: every event). */
    putPushSubscription: async (request: PutPushSubscriptionRequest) =>
      call('PUT', '/api/push/subscription', PushSubscriptionView, checked(PutPushSubscriptionRequest, request)),
    /** PATCH /api/push/subscription: which events push to this phone; 404 when it has no subscription. */
    setPushEvents: async (events: PushEvent[]) =>
      call('PATCH', '/api/push/subscription', PushSubscriptionView, checked(PatchPushSubscriptionRequest, { events })),
    /** DELETE /api/push/subscription: this phone gets no more pushes (204, also when it had none). */
    deletePushSubscription: () => remove('/api/push/subscription'),
    /**
     * POST /api/attachments: upload an image for the next task (checked against the schema first). 400 when its bytes
     * are not the type named or are over the limit; 429 when too many were sent lately.
     */
    createAttachment: async (request: CreateAttachmentRequest) =>
      call('POST', '/api/attachments', AttachmentView, checked(CreateAttachmentRequest, request)),
    /** DELETE /api/attachments/:id: drop an image not yet on a task (409 once it is on one). */
    deleteAttachment: (id: string) => remove(`/api/attachments/${encodeURIComponent(id)}`),
  };
}
