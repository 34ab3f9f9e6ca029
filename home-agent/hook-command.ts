// `hearth hook <backend>`'s decision: read the CLI's hook JSON from stdin (bounded), ask the agent over its socket,
// and return allow or deny. Never throws: missing env, bad stdin, socket errors and timeouts all answer deny.
import type { Readable } from 'node:stream';
import type { Backend } from '../protocol/index.ts';
import { HOOK_EVENT } from './backends/hook-output.ts';
import { parseHookEnv } from './config.ts';
import { askAgent } from './hook-client.ts';
import { deny, MAX_HOOK_REQUEST_BYTES, type HookAnswer, type HookRequest } from './hook-socket.ts';

/** Largest hook payload read from stdin, in bytes (the request line adds the envelope on top). */
export const MAX_HOOK_STDIN_BYTES = MAX_HOOK_REQUEST_BYTES - 64 * 1024;
/** How long the CLI may take to write and close stdin, in ms. */
const STDIN_TIMEOUT_MS = 10_000;

export type HookCommandDeps = {
  backend: Exclude<Backend, 'shell'>;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** Bound on the whole exchange with the agent, in ms: the approval deadline plus a margin, below the CLI's timeout. */
  timeoutMs: number;
  ask?: typeof askAgent;
};

/** All of stdin as text, or an error when it is larger than `maxBytes`, fails, or does not end within `timeoutMs`. */
export function readBounded(stdin: Readable, maxBytes: number, timeoutMs: number): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: { ok: true; text: string } | { ok: false; error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stdin.removeAllListeners('data');
      stdin.pause();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'the CLI did not finish writing the hook input' }), timeoutMs);
    stdin.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) return finish({ ok: false, error: `the hook input is over ${maxBytes} bytes` });
      chunks.push(buffer);
    });
    stdin.once('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    stdin.once('error', (error) => finish({ ok: false, error: `cannot read the hook input: ${error.message}` }));
  });
}

/** Decide one hook invocation. Resolves with the agent's answer or a deny saying what went wrong; never rejects. */
export async function decideHook(deps: HookCommandDeps): Promise<HookAnswer> {
  try {
    const env = parseHookEnv(deps.env);
    if (!env.ok) return deny(`Hearth: ${env.error}`);
    const input = await readBounded(deps.stdin, MAX_HOOK_STDIN_BYTES, STDIN_TIMEOUT_MS);
    if (!input.ok) return deny(`Hearth: ${input.error}`);
    let payload: unknown;
    try {
      payload = JSON.parse(input.text);
    } catch {
      return deny('Hearth: the hook input is not JSON');
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return deny('Hearth: the hook input is not a JSON object');
    const named = (payload as { hook_event_name?: unknown }).hook_event_name;
    const event = typeof named === 'string' && named.length > 0 && named.length <= 64 ? named : HOOK_EVENT[deps.backend];
    const request: HookRequest = { v: 1, taskId: env.value.taskId, token: env.value.token, backend: deps.backend, event, payload };
    return await (deps.ask ?? askAgent)(env.value.socket, request, deps.timeoutMs);
  } catch (error) {
    return deny(`Hearth: the hook failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
