// The `hearth hook` end of the hook channel: send one request to the agent's socket and wait for its answer.
// Never throws: a missing agent, a socket error, a timeout or a malformed reply all come back as deny.
import { connect } from 'node:net';
import { decodeFrame } from '../protocol/index.ts';
import { HookAnswer, deny, type HookRequest } from './hook-socket.ts';

/** Largest answer read, in bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Ask the agent listening on `socketPath`. `timeoutMs` bounds the whole exchange (it should be a little longer
 * than the approval deadline and shorter than the CLI's own hook timeout).
 */
export function askAgent(socketPath: string, request: HookRequest, timeoutMs: number): Promise<HookAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    let received = '';
    const socket = connect(socketPath);
    const finish = (answer: HookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(deny(`no decision within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length > MAX_ANSWER_BYTES) finish(deny('the agent answered too much'));
      const nl = received.indexOf('\n');
      if (nl < 0) return;
      const decoded = decodeFrame(HookAnswer, received.slice(0, nl));
      finish(decoded.ok ? decoded.value : deny(`malformed answer from the agent: ${decoded.error}`));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(deny(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'the Hearth agent is not running' : `hook socket error: ${error.message}`)),
    );
    socket.on('close', () => finish(deny('the Hearth agent closed the connection without a decision')));
  });
}
