import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { askAgent } from './hook-client.ts';
import { listenHookSocket, type HookHandler, type HookRequest } from './hook-socket.ts';

let dir: string;
let closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-hook-'));
});
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
  rmSync(dir, { recursive: true, force: true });
});

const request: HookRequest = {
  v: 1,
  taskId: '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11',
  token: 'a'.repeat(32),
  backend: 'claude',
  event: 'PreToolUse',
  payload: { tool_name: 'Bash', tool_input: { command: 'touch x' } },
};

async function serve(handler: HookHandler): Promise<string> {
  const path = join(dir, 'run', 'hook.sock');
  const server = await listenHookSocket(path, handler, () => {});
  closers.push(() => server.close());
  return path;
}

test('passes the request to the handler and returns its answer; the socket is 0600 in a 0700 dir', async () => {
  let seen: HookRequest | undefined;
  const path = await serve(async (r) => {
    seen = r;
    return { decision: 'allow', reason: 'ok' };
  });
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700);
  expect(await askAgent(path, request, 5000)).toEqual({ decision: 'allow', reason: 'ok' });
  expect(seen).toEqual(request);
});

test('a handler that throws answers deny', async () => {
  const path = await serve(async () => {
    throw new Error('boom');
  });
  expect(await askAgent(path, request, 5000)).toEqual({ decision: 'deny', reason: 'the agent failed while deciding: boom' });
});

test('a malformed request is denied without reaching the handler', async () => {
  let called = false;
  const path = await serve(async () => {
    called = true;
    return { decision: 'allow', reason: '' };
  });
  const answer = await new Promise<string>((resolve) => {
    const s = connect(path, () => s.write('{"v":1,"taskId":"nope"}\n'));
    let data = '';
    s.on('data', (d) => (data += d.toString()));
    s.on('close', () => resolve(data));
  });
  expect(JSON.parse(answer)).toMatchObject({ decision: 'deny' });
  expect(called).toBe(false);
});

test('when the hook goes away the handler is told (to withdraw its approval)', async () => {
  let aborted: Promise<void> = Promise.resolve();
  const path = await serve(
    (_r, signal) =>
      new Promise((resolve) => {
        aborted = new Promise<void>((done) => signal.addEventListener('abort', () => done()));
        void aborted.then(() => resolve({ decision: 'deny', reason: 'gone' }));
      }),
  );
  const answer = await askAgent(path, request, 300);
  expect(answer).toEqual({ decision: 'deny', reason: 'no decision within 0 s' });
  await aborted;
});

test('no agent listening → deny', async () => {
  expect(await askAgent(join(dir, 'missing.sock'), request, 5000)).toEqual({ decision: 'deny', reason: 'the Hearth agent is not running' });
});

test('a garbled or allow-looking malformed answer → deny', async () => {
  const path = join(dir, 'fake.sock');
  for (const reply of ['allow\n', '{"decision":"allow"}\n', '{"decision":"yes","reason":""}\n', '']) {
    const server = createServer((s) => {
      s.resume();
      s.end(reply);
    });
    await new Promise<void>((r) => server.listen(path, () => r()));
    const answer = await askAgent(path, request, 2000);
    expect(answer.decision).toBe('deny');
    await new Promise<void>((r) => server.close(() => r()));
  }
});
