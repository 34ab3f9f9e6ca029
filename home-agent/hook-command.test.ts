import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { decideHook, MAX_HOOK_STDIN_BYTES } from './hook-command.ts';
import { listenHookSocket, type HookHandler, type HookRequest } from './hook-socket.ts';

const TASK = '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11';
const TOKEN = 't'.repeat(43);
const PAYLOAD = { hook_event_name: 'PermissionRequest', cwd: '/ws', tool_name: 'Bash', tool_input: { command: 'touch approved.txt' } };

let dir: string;
let closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-hookcmd-'));
});
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
  rmSync(dir, { recursive: true, force: true });
});

async function agentSocket(handler: HookHandler): Promise<string> {
  const path = join(dir, 'run', 'hook.sock');
  const server = await listenHookSocket(path, handler, () => {});
  closers.push(() => server.close());
  return path;
}
const envFor = (socket: string) => ({ HEARTH_HOOK_SOCKET: socket, HEARTH_TASK: `hearth:${TASK}`, HEARTH_HOOK_TOKEN: TOKEN });
const stdinOf = (text: string) => Readable.from([Buffer.from(text)]);
const never = (): Promise<never> => new Promise(() => {});

describe('decideHook', () => {
  test('sends the task, token, backend, event and payload; returns the agent’s answer', async () => {
    let seen: HookRequest | undefined;
    const socket = await agentSocket(async (r) => {
      seen = r;
      return { decision: 'allow', reason: 'allowed from the phone' };
    });
    const answer = await decideHook({ backend: 'claude', stdin: stdinOf(JSON.stringify(PAYLOAD)), env: envFor(socket), timeoutMs: 5_000 });
    expect(answer).toEqual({ decision: 'allow', reason: 'allowed from the phone' });
    expect(seen).toEqual({ v: 1, taskId: TASK, token: TOKEN, backend: 'claude', event: 'PermissionRequest', payload: PAYLOAD });
  });

  test.each([
    ['no environment', null, JSON.stringify(PAYLOAD), /not started by the Hearth agent/],
    ['a bad task id', { HEARTH_TASK: 'hearth:nope' }, JSON.stringify(PAYLOAD), /HEARTH_TASK/],
    ['a short token', { HEARTH_HOOK_TOKEN: 'x' }, JSON.stringify(PAYLOAD), /HEARTH_HOOK_TOKEN/],
    ['stdin not JSON', {}, '{nope', /not JSON/],
    ['stdin a JSON array', {}, '[1]', /not a JSON object/],
  ])('%s → deny without asking', async (_name, envPatch, stdin, reason) => {
    const socket = await agentSocket(async () => ({ decision: 'allow', reason: 'should not be asked' }));
    const env = envPatch === null ? {} : { ...envFor(socket), ...envPatch };
    const answer = await decideHook({ backend: 'gemini', stdin: stdinOf(stdin), env, timeoutMs: 5_000 });
    expect(answer.decision).toBe('deny');
    expect(answer.reason).toMatch(reason);
  });

  test('stdin over the limit → deny without asking', async () => {
    let asked = false;
    const socket = await agentSocket(async () => ((asked = true), { decision: 'allow', reason: '' }));
    const huge = Readable.from([Buffer.alloc(MAX_HOOK_STDIN_BYTES + 1, 0x20)]);
    const answer = await decideHook({ backend: 'claude', stdin: huge, env: envFor(socket), timeoutMs: 5_000 });
    expect(answer.reason).toMatch(/over \d+ bytes/);
    expect(asked).toBe(false);
  });

  test('no agent listening → deny', async () => {
    const answer = await decideHook({ backend: 'codex', stdin: stdinOf(JSON.stringify(PAYLOAD)), env: envFor(join(dir, 'none.sock')), timeoutMs: 5_000 });
    expect(answer).toEqual({ decision: 'deny', reason: 'the Hearth agent is not running' });
  });

  test('an agent that never answers → deny at the timeout', async () => {
    const socket = await agentSocket(never);
    const started = Date.now();
    const answer = await decideHook({ backend: 'claude', stdin: stdinOf(JSON.stringify(PAYLOAD)), env: envFor(socket), timeoutMs: 1_000 });
    expect(answer.decision).toBe('deny');
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe('the real `hearth hook` process', () => {
  const cli = join(import.meta.dirname, 'cli.ts');
  function start(backend: string, env: Record<string, string>, stdin: string, opts: { timeoutMs?: number } = {}) {
    const child = spawn(process.execPath, [cli, 'hook', backend, '--timeout-ms', String(opts.timeoutMs ?? 10_000)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdin.end(stdin);
    const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
    return { child, done };
  }
  const run = (...args: Parameters<typeof start>) => start(...args).done;

  test('claude: prints the allow decision and exits 0', async () => {
    const socket = await agentSocket(async () => ({ decision: 'allow', reason: 'ok' }));
    const { code, out } = await run('claude', envFor(socket), JSON.stringify(PAYLOAD));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
  });

  test('SIGTERM while waiting for the phone → JSON deny, exit 0', async () => {
    let asked!: () => void;
    const waiting = new Promise<void>((resolve) => (asked = resolve));
    const socket = await agentSocket(() => (asked(), never()));
    const { child, done } = start('claude', envFor(socket), JSON.stringify(PAYLOAD));
    await waiting;
    child.kill('SIGTERM');
    const { code, out } = await done;
    expect(code).toBe(0);
    expect(JSON.parse(out).hookSpecificOutput.decision).toEqual({ behavior: 'deny', message: 'Hearth: the hook was stopped (SIGTERM)' });
  }, 15_000);

  test('gemini with no agent answer → JSON deny at its own timeout, exit 0', async () => {
    const socket = await agentSocket(never);
    const { code, out } = await run('gemini', envFor(socket), JSON.stringify({ ...PAYLOAD, hook_event_name: 'BeforeTool' }), { timeoutMs: 1_000 });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ decision: 'deny' });
  });

  test('outside a task (no env) → JSON deny, exit 0', async () => {
    const { code, out } = await run('codex', {}, JSON.stringify(PAYLOAD));
    expect(code).toBe(0);
    expect(JSON.parse(out).hookSpecificOutput.decision.behavior).toBe('deny');
  });
});
