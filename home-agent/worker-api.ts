// The agent's HTTP client for the Worker: bearer-authenticated calls whose replies are zod-parsed (and image bytes, capped).
// Errors become AgentError with the Problem's code; network failures are `network`. Never logs the token.
import { z } from 'zod';
import {
  AgentCapabilities,
  ApprovalView,
  AttachmentView,
  type CreateApprovalRequest,
  ClaimResponse,
  FollowUpList,
  FollowUpView,
  HeartbeatResponse,
  Problem,
  RoomTicketResponse,
  TaskView,
  type FinishRequest,
} from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';

export type Fetch = typeof fetch;

const QueuedTasks = z.object({ tasks: z.array(TaskView) });

type WorkerDeps = { server: string; token?: string; fetch?: Fetch };

/** The JSON value of a reply's text, or undefined when it is empty or not JSON. */
function jsonOf(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Send one request to the Worker at `server` + `path` with a JSON body (every write is JSON); the 2xx Response.
 * Throws AgentError: the Problem's `code` (status kept) for 4xx/5xx, `network` when the request did not complete.
 */
async function send(deps: WorkerDeps, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (deps.token !== undefined) headers.authorization = `Bearer ${deps.token}`;
  // Every write is JSON, even without a body: the Worker answers a write of any other type with 415.
  const payload = body === undefined && method !== 'GET' ? {} : body;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(`${deps.server}${path}`, {
      method,
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new AgentError('network', `cannot reach ${deps.server}: ${(error as Error).message}`, { cause: error });
  }
  if (response.ok) return response;
  const problem = Problem.safeParse(jsonOf(await response.text().catch(() => '')));
  if (problem.success) {
    const { code, title, detail } = problem.data;
    throw new AgentError(code, `${method} ${path}: ${detail ?? title}`, { status: response.status });
  }
  const code = response.status === 401 ? 'unauthenticated' : response.status === 409 ? 'conflict' : 'internal';
  throw new AgentError(code, `${method} ${path}: HTTP ${response.status}`, { status: response.status });
}

/**
 * Call the Worker at `server` + `path` with a JSON body; parse a 2xx reply with `schema`. Throws AgentError:
 * the Problem's `code` (status kept) for 4xx/5xx, `network` when the request did not complete.
 */
export async function callWorker<S extends z.ZodType>(
  deps: WorkerDeps,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.infer<S>> {
  const response = await send(deps, method, path, body);
  const parsed = schema.safeParse(jsonOf(await response.text().catch(() => '')));
  if (!parsed.success) {
    throw new AgentError('internal', `${method} ${path}: unexpected reply (${parsed.error.issues[0]?.message ?? ''})`);
  }
  return parsed.data;
}

/** GET `path`'s body as bytes, at most `maxBytes` (AgentError `attachment-invalid` past it, read no further). */
async function fetchBytes(deps: WorkerDeps, path: string, maxBytes: number): Promise<Uint8Array> {
  const response = await send(deps, 'GET', path, undefined, '*/*');
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AgentError('attachment-invalid', `GET ${path}: more than ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks, total);
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;

/** The agent endpoints (Authorization: Bearer <access_token>). */
export function createWorkerApi(deps: { server: string; token: string; fetch?: Fetch }) {
  const call = <S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', path: string, schema: S, body?: unknown) =>
    callWorker(deps, method, path, schema, body);
  const task = (taskId: string, action: string): string => `/api/agent/tasks/${encodeURIComponent(taskId)}/${action}`;
  return {
    putCapabilities: (caps: AgentCapabilities) => call('PUT', '/api/agent/capabilities', z.unknown(), caps),
    roomTicket: () => call('POST', '/api/room-ticket', RoomTicketResponse, {}),
    /** Queued tasks, oldest first. */
    queued: async () => (await call('GET', '/api/agent/tasks/queued', QueuedTasks)).tasks,
    /** Claim a queued task; throws AgentError `conflict` (409) when another agent won. */
    claim: (taskId: string) => call('POST', task(taskId, 'claim'), ClaimResponse, {}),
    heartbeat: (taskId: string) => call('POST', task(taskId, 'heartbeat'), HeartbeatResponse, {}),
    /** Deliver the outcome once; throws `conflict` (409) when it was already finished. */
    finish: (taskId: string, finish: FinishRequest) => call('POST', task(taskId, 'finish'), z.unknown(), finish),
    /**
     * Close the idle window of a succeeded task this agent holds open: the TaskView with openUntil null. Throws
     * `conflict` (409) when a follow-up reopened the task first.
     */
    close: (taskId: string) => call('POST', task(taskId, 'close'), TaskView),
    /** Pending follow-ups of tasks this agent holds, oldest first. */
    followUps: async () => (await call('GET', '/api/agent/follow-ups', FollowUpList)).followUps,
    /** Take a pending follow-up once, to type it. Throws `conflict` (409) when it was already taken. */
    deliverFollowUp: (followUpId: string) =>
      call('POST', `/api/agent/follow-ups/${encodeURIComponent(followUpId)}/deliver`, FollowUpView),
    /** The task as this agent holds it (autoAllowUntil included). */
    task: (taskId: string) => call('GET', `/api/agent/tasks/${encodeURIComponent(taskId)}`, TaskView),
    /** Open an approval (idempotent on the same id and inputHash). */
    createApproval: (taskId: string, body: CreateApprovalRequest) => call('POST', task(taskId, 'approvals'), ApprovalView, body),
    approval: (approvalId: string) => call('GET', `/api/agent/approvals/${encodeURIComponent(approvalId)}`, ApprovalView),
    /** pending → expired: the CLI no longer waits. Throws `conflict` when it was already decided. */
    withdrawApproval: (approvalId: string) =>
      call('POST', `/api/agent/approvals/${encodeURIComponent(approvalId)}/withdraw`, ApprovalView, {}),
    /** An attached image's bytes (at most `maxBytes`), while this agent holds its task; 410 once received. */
    attachmentBytes: (attachmentId: string, maxBytes: number) =>
      fetchBytes(deps, `/api/agent/attachments/${encodeURIComponent(attachmentId)}`, maxBytes),
    /** The image is written at home: the Worker drops its bytes (idempotent). */
    attachmentReceived: (attachmentId: string) =>
      call('POST', `/api/agent/attachments/${encodeURIComponent(attachmentId)}/received`, AttachmentView, {}),
  };
}
