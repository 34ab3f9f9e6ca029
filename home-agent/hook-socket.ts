// The agent's end of the hook channel: a 0600 Unix socket in a 0700 directory where `hearth hook` processes ask
// for a decision (one JSON line in, one JSON line out). Every failure answers deny (DESIGN.md rule 7).
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Backend, TaskId, decodeFrame } from '../protocol/index.ts';

/** Largest request line accepted, in bytes (hook payloads carry the tool input: file contents can be large). */
export const MAX_HOOK_REQUEST_BYTES = 4 * 1024 * 1024;

/** What `hearth hook` sends: which task asks (with its per-task token), from which CLI, and the CLI's payload. */
export const HookRequest = z.strictObject({
  v: z.literal(1),
  taskId: TaskId,
  token: z.string().min(16).max(128),
  backend: Backend,
  event: z.string().min(1).max(64),
  payload: z.unknown(),
});
export type HookRequest = z.infer<typeof HookRequest>;

export const HookAnswer = z.strictObject({ decision: z.enum(['allow', 'deny']), reason: z.string().max(2000) });
export type HookAnswer = z.infer<typeof HookAnswer>;

export const deny = (reason: string): HookAnswer => ({ decision: 'deny', reason });

/**
 * Decides one request. `signal` aborts when the hook process goes away (killed, timed out): the handler should
 * withdraw whatever it asked the phone and stop.
 */
export type HookHandler = (request: HookRequest, signal: AbortSignal) => Promise<HookAnswer>;

/**
 * Listens on `path` (its directory is created 0700; a stale socket file is replaced; the socket is chmod 0600
 * before the first connection is answered). Resolves once listening.
 */
export async function listenHookSocket(
  path: string,
  handler: HookHandler,
  report: (error: unknown) => void,
): Promise<{ close(): Promise<void> }> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  chmodSync(dirname(path), 0o700);
  rmSync(path, { force: true });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, handler).catch((error: unknown) => {
      report(error);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

async function serve(socket: Socket, handler: HookHandler): Promise<void> {
  const abort = new AbortController();
  socket.on('close', () => abort.abort());
  socket.on('error', () => abort.abort());
  const line = await readLine(socket, MAX_HOOK_REQUEST_BYTES);
  const decoded = line === undefined ? undefined : decodeFrame(HookRequest, line);
  let answer: HookAnswer;
  if (!decoded) answer = deny('the hook request was too large or incomplete');
  else if (!decoded.ok) answer = deny(`malformed hook request: ${decoded.error}`);
  else {
    try {
      answer = await handler(decoded.value, abort.signal);
    } catch (error) {
      answer = deny(`the agent failed while deciding: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!socket.destroyed) socket.end(`${JSON.stringify(answer)}\n`);
}

/** The first newline-terminated line of `socket`, or undefined when it ends first or exceeds `maxBytes`. */
function readLine(socket: Socket, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: string | undefined) => {
      socket.removeAllListeners('data');
      resolve(value);
    };
    socket.on('data', (chunk: Buffer) => {
      const nl = chunk.indexOf(0x0a);
      const part = nl >= 0 ? chunk.subarray(0, nl) : chunk;
      size += part.length;
      if (size > maxBytes) return done(undefined);
      chunks.push(part);
      if (nl >= 0) done(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('end', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}
