// The ONLY module that spawns tmux: argv arrays through execa, always `-L <socket> -f /dev/null` (a dedicated
// server, no user config). No text from a task ever becomes part of a tmux command line (DESIGN.md rule 9).
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { AgentError, fromExecaError } from './agent-error.ts';
import { assertTmuxSafe } from './tmux-safe.ts';
import { sanitizeTypedText } from './typed-text.ts';

/** The session every task window lives in. */
export const SESSION = 'hearth';
const SESSION_TARGET = `=${SESSION}`;
/** Size of the session's windows, in cells. */
const WINDOW_WIDTH = 200;
export const WINDOW_HEIGHT = 50;

const PANE_ID = /^%\d+$/;
const WINDOW_ID = /^@\d+$/;

/** Run one tmux command list on `socket`; returns stdout. Throws AgentError (tmux-missing / tmux-failed). */
async function tmux(socket: string, args: string[], input?: string): Promise<string> {
  try {
    const result = await execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
      input: input ?? '',
      stripFinalNewline: false,
      timeout: 15_000,
    });
    return result.stdout;
  } catch (error) {
    throw fromExecaError(error, 'tmux');
  }
}

const isMissing = (error: unknown): boolean =>
  error instanceof AgentError && /can't find|no server running|session not found|No such file/.test(error.message);

/**
 * Create the detached session (WINDOW_WIDTH × WINDOW_HEIGHT, with a placeholder `idle` window so the session
 * outlives its tasks) if missing, and set remain-on-exit so a finished pane keeps its last screen.
 */
export async function ensureSession(socket: string): Promise<void> {
  const exists = await tmux(socket, ['has-session', '-t', SESSION_TARGET]).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await tmux(socket, [
      'new-session', '-d', '-s', SESSION, '-x', String(WINDOW_WIDTH), '-y', String(WINDOW_HEIGHT), '-n', 'idle',
      '--', 'sleep', 'infinity',
    ]).catch((error: unknown) => {
      if (!(error instanceof AgentError && /duplicate session/.test(error.message))) throw error;
    });
  }
  await tmux(socket, [
    'set-option', '-gw', 'remain-on-exit', 'on', ';',
    'set-option', '-gw', 'remain-on-exit-format', '', ';',
    'set-option', '-g', 'default-size', `${WINDOW_WIDTH}x${WINDOW_HEIGHT}`,
  ]);
}

export type TaskWindow = { windowId: string; paneId: string; panePid: number };

/**
 * Open a detached window running `argv` directly (no shell) in `cwd`, with `env` set. Names and env values
 * must be fixed-format strings chosen by the agent, never task content.
 */
export async function openWindow(
  socket: string,
  options: { name: string; cwd: string; argv: string[]; env: Record<string, string> },
): Promise<TaskWindow> {
  // tmux expands formats (#{…}, #(shell)) in -n/-c/-e values and splits any argument ending in ';'.
  for (const value of [options.name, options.cwd, ...Object.entries(options.env).flat(), ...options.argv]) {
    assertTmuxSafe(value);
  }
  const envArgs = Object.entries(options.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const out = await tmux(socket, [
    'new-window', '-d', '-P', '-F', '#{window_id} #{pane_id} #{pane_pid}', '-t', `${SESSION_TARGET}:`,
    '-n', options.name, '-c', options.cwd, ...envArgs, '--', ...options.argv,
  ]);
  const match = /^(@\d+) (%\d+) (\d+)$/.exec(out.trim());
  if (!match) throw new AgentError('tmux-failed', `tmux new-window printed an unexpected line: ${out.trim().slice(0, 80)}`);
  return { windowId: match[1]!, paneId: match[2]!, panePid: Number(match[3]) };
}

/** `deadStatus`/`deadSignal` stay null until tmux has reaped the program (shortly after `dead`). */
export type PaneState = {
  dead: boolean;
  deadStatus: number | null;
  deadSignal: number | null;
  pid: number;
  width: number;
  height: number;
};

/** A pane's liveness and size, or undefined when the pane (or the whole server) is gone. */
export async function paneState(socket: string, paneId: string): Promise<PaneState | undefined> {
  assertId(paneId, PANE_ID);
  let out: string;
  try {
    out = await tmux(socket, [
      'display-message', '-p', '-t', paneId,
      '#{pane_id} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid} #{pane_width} #{pane_height}',
    ]);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  // display-message falls back to no pane for a missing target: the id comes back empty.
  const match = /^(%\d+) ([01]) (-?\d*) (\d*) (\d+) (\d+) (\d+)$/.exec(out.replace(/\n$/, ''));
  if (!match || match[1] !== paneId) return undefined;
  return {
    dead: match[2] === '1',
    deadStatus: match[3] === '' ? null : Number(match[3]),
    deadSignal: match[4] === '' ? null : Number(match[4]),
    pid: Number(match[5]),
    width: Number(match[6]),
    height: Number(match[7]),
  };
}

/**
 * How a dead pane's program ended: tmux marks the pane dead on EOF and learns the status when it reaps the
 * child, so this re-reads for up to `waitMs` until status or signal is known. Undefined if the pane is gone or alive.
 */
export async function exitStatus(
  socket: string,
  paneId: string,
  waitMs = 10_000,
): Promise<{ status: number | null; signal: number | null } | undefined> {
  const deadline = Date.now() + waitMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 500)) {
    const pane = await paneState(socket, paneId);
    if (!pane?.dead) return undefined;
    const known = pane.deadStatus !== null || pane.deadSignal !== null;
    if (known || Date.now() > deadline) return { status: pane.deadStatus, signal: pane.deadSignal };
    await sleep(pause);
  }
}

export type Capture = { width: number; height: number; text: string };

/**
 * The visible screen of a pane with wrapped lines joined (`capture-pane -p -J`), plus its size, in one tmux
 * call. Raw text: the caller strips it (pane-strip.ts). Undefined when the pane is gone.
 */
export async function capturePane(socket: string, paneId: string): Promise<Capture | undefined> {
  assertId(paneId, PANE_ID);
  let out: string;
  try {
    out = await tmux(socket, [
      'display-message', '-p', '-t', paneId, '#{pane_id} #{pane_width} #{pane_height}', ';',
      'capture-pane', '-p', '-J', '-t', paneId,
    ]);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const newline = out.indexOf('\n');
  const match = /^(%\d+) (\d+) (\d+)$/.exec(out.slice(0, newline));
  if (!match || match[1] !== paneId) return undefined;
  return { width: Number(match[2]), height: Number(match[3]), text: out.slice(newline + 1) };
}

type PaneInfo = { windowId: string; paneId: string; pid: number; dead: boolean; windowName: string };

/** Every pane of the session; empty when the server or session is not running. */
export async function listPanes(socket: string): Promise<PaneInfo[]> {
  let out: string;
  try {
    out = await tmux(socket, [
      'list-panes', '-s', '-t', SESSION_TARGET, '-F', '#{window_id} #{pane_id} #{pane_pid} #{pane_dead} #{window_name}',
    ]);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  return out
    .split('\n')
    .map((line) => /^(@\d+) (%\d+) (\d+) ([01]) (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ windowId: m[1]!, paneId: m[2]!, pid: Number(m[3]), dead: m[4] === '1', windowName: m[5]! }));
}

/** Kill one window; a window that is already gone is fine. */
export async function killWindow(socket: string, windowId: string): Promise<void> {
  assertId(windowId, WINDOW_ID);
  await tmux(socket, ['kill-window', '-t', windowId]).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
}

/** Stop the agent's tmux server; a server that is not running is fine. */
export async function killServer(socket: string): Promise<void> {
  await tmux(socket, ['kill-server']).catch((error: unknown) => {
    if (!isMissing(error) && !/server exited/.test(String((error as Error).message))) throw error;
  });
}

/**
 * Type `text` into a pane as the user would: control characters stripped (typed-text.ts), loaded from stdin
 * into a private buffer, pasted with bracketed paste (`paste-buffer -p`), then Enter as a separate key,
 * `enterDelayMs` later (Gemini CLI drops an Enter that arrives right after a paste).
 */
export async function typeText(socket: string, paneId: string, text: string, enterDelayMs = 0): Promise<void> {
  assertId(paneId, PANE_ID);
  const clean = sanitizeTypedText(text);
  if (clean !== '') {
    const buffer = `hearth-${randomBytes(8).toString('hex')}`;
    await tmux(socket, ['load-buffer', '-b', buffer, '-'], clean);
    await tmux(socket, ['paste-buffer', '-p', '-d', '-b', buffer, '-t', paneId]);
    if (enterDelayMs > 0) await sleep(enterDelayMs);
  }
  await tmux(socket, ['send-keys', '-t', paneId, 'Enter']);
}

/** The only keys sendKey presses: a dialog's "allow once" digit or letter, or Escape (deny). */
export type AnswerKey = '1' | 'y' | 'Escape';
const ANSWER_KEYS: readonly string[] = ['1', 'y', 'Escape'];

/** Press one key in a pane (a permission dialog's answer). Throws AgentError for a key outside AnswerKey. */
export async function sendKey(socket: string, paneId: string, key: AnswerKey): Promise<void> {
  assertId(paneId, PANE_ID);
  if (!ANSWER_KEYS.includes(key)) throw new AgentError('internal', `refusing to send key ${JSON.stringify(key)}`);
  await tmux(socket, ['send-keys', '-t', paneId, '--', key]);
}

export type ControlClient = {
  /** Send one fixed control-mode command line (never task content). */
  command(line: string): void;
  /** Detach and wait for the client to exit. */
  close(): Promise<void>;
  /** Resolves when the client exits for any reason. */
  exited: Promise<void>;
};

/**
 * Attach a read-only control-mode client (`-C attach -f ignore-size,read-only`) to the session and hand every
 * notification line to `onLine`. The session must exist (ensureSession).
 */
export function attachControl(socket: string, onLine: (line: string) => void): ControlClient {
  const child = execa('tmux', ['-L', socket, '-f', '/dev/null', '-C', 'attach', '-f', 'ignore-size,read-only', '-t', SESSION_TARGET], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'ignore',
    buffer: false,
  });
  // Commands written before the client is attached can be lost: hold them until %session-changed.
  let attached = false;
  const held: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!attached && line.startsWith('%session-changed ')) {
      attached = true;
      for (const command of held.splice(0)) child.stdin.write(`${command}\n`);
    }
    onLine(line);
  });
  const exited = child.then(
    () => undefined,
    () => undefined,
  );
  return {
    command(line) {
      if (/[\n\r]/.test(line)) throw new AgentError('internal', 'control-mode commands are single lines');
      if (!attached) held.push(line);
      else if (child.stdin.writable) child.stdin.write(`${line}\n`);
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 2_000);
      await exited;
      clearTimeout(timer);
    },
    exited,
  };
}

function assertId(id: string, pattern: RegExp): void {
  if (!pattern.test(id)) throw new AgentError('internal', `not a tmux id: ${id.slice(0, 20)}`);
}
