// AgentError: the home agent's one error type, and the one place execa failures are mapped to it.
// Codes are the shared vocabulary (protocol/errors.ts) plus a few local ones; messages say what to do next.
import { ExecaError } from 'execa';
import type { ErrorCode } from '../protocol/index.ts';

export type AgentErrorCode =
  | ErrorCode
  | 'config-invalid'
  | 'insecure-permissions'
  | 'not-paired'
  | 'network'
  | 'pairing-expired'
  | 'pairing-denied'
  | 'tmux-missing'
  | 'tmux-failed'
  | 'attachment-invalid';

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  /** The HTTP status when the error came from the Worker, else undefined. */
  readonly status: number | undefined;

  constructor(code: AgentErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AgentError';
    this.code = code;
    this.status = options.status;
  }
}

/** What to run to get a missing program, keyed by program name. */
const INSTALL_HINTS: Record<string, string> = {
  tmux: 'apt-get install tmux',
  bash: 'apt-get install bash',
};

/**
 * Map a failed subprocess (execa) to an AgentError. A missing binary becomes `tmux-missing` (or `internal`
 * for other programs) with the install command; anything else keeps tmux's first stderr line.
 */
export function fromExecaError(error: unknown, program: string): AgentError {
  if (error instanceof AgentError) return error;
  if (error instanceof ExecaError) {
    if (error.code === 'ENOENT') {
      const hint = INSTALL_HINTS[program] ?? `install ${program}`;
      return new AgentError(program === 'tmux' ? 'tmux-missing' : 'internal', `${program} is not installed: ${hint}`, {
        cause: error,
      });
    }
    const stderr = String(error.stderr ?? '').split('\n')[0]?.trim();
    const detail = stderr || error.shortMessage;
    return new AgentError(program === 'tmux' ? 'tmux-failed' : 'internal', `${program} failed: ${detail}`, {
      cause: error,
    });
  }
  return new AgentError('internal', `${program} failed: ${errorLine(error)}`, { cause: error });
}

/** One line describing any thrown value, for logs and CLI output (never includes a stack). */
export function errorLine(error: unknown): string {
  if (error instanceof AgentError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
