// The scripted model server speaks each real CLI's protocol: Claude Code, Codex CLI and Gemini CLI run
// interactively in a private tmux server, ask permission for the scripted tool call, and obey the key that answers
// the dialog (allow → the file + the final marker on screen; Escape → no file, no tool result sent back).
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { cliArgv, cliEnv, secureTempDir, type CliName } from '../support/cli-home.ts';
import { killMarked, markedPids, MARK_VAR, outsideTree } from '../support/marked-processes.ts';
import { startModelServer, type ModelApi, type ModelToolCall, type RecordedRequest } from '../support/model-server.ts';
import { pidsMatching } from '../support/processes.ts';
import { cmdline } from '../support/tmux.ts';

type CliCase = {
  cli: CliName;
  api: ModelApi;
  /** The request header that carries the CLI's key (recorded redacted). */
  keyHeader: string;
  /** Exact dialog texts for a shell command and a file write (FINDINGS §1.3, §2.3, §3.3). */
  dialog: { shell: string; write: string };
  allowKey: string;
  /** What the screen shows once the CLI took the deny key (Escape). */
  denied: RegExp;
  /** On screen while the CLI works; gone when idle. */
  busy: string;
};

const CODEX_DIALOG = 'Would you like to run the following command?'; // Codex has no write tool: a write is a command
const CASES: CliCase[] = [
  {
    cli: 'claude', api: 'anthropic', keyHeader: 'x-api-key', allowKey: '1', busy: 'esc to interrupt',
    dialog: { shell: 'Do you want to proceed?', write: 'Do you want to create written.txt?' },
    denied: /Interrupted · What should Claude do instead\?/,
  },
  {
    cli: 'codex', api: 'openai-responses', keyHeader: 'authorization', allowKey: 'y', busy: 'esc to interrupt',
    dialog: { shell: CODEX_DIALOG, write: CODEX_DIALOG },
    denied: /You canceled the request to run touch approved\.txt/,
  },
  {
    cli: 'gemini', api: 'gemini', keyHeader: 'x-goog-api-key', allowKey: '1', busy: 'esc to cancel',
    dialog: { shell: 'Allow execution of [Shell]?', write: 'Apply this change?' },
    denied: /-\s+Shell\s+touch approved\.txt/,
  },
];

const SHELL: ModelToolCall = { kind: 'shell', command: 'touch approved.txt', description: 'Create approved.txt in the workspace' };
const WRITE_CONTENT = 'hearth scripted write';
const WRITE: ModelToolCall = { kind: 'write', path: 'written.txt', content: WRITE_CONTENT };
const SCREEN_DEADLINE_MS = 40_000;
// A CLI run can take a while on a loaded 2-core machine; the screen deadline above must stay below this.
vi.setConfig({ testTimeout: 90_000 });

const fileMark = `model-server-${process.pid}-${randomBytes(3).toString('hex')}`;
const socket = `hearth-test-${fileMark}`;
let root = '';

const tmux = (...args: string[]) =>
  execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env: { ...process.env, [MARK_VAR]: fileMark } });

async function screen(session: string): Promise<string> {
  const { stdout } = await tmux('capture-pane', '-p', '-J', '-t', `${session}:`);
  return stdout.split('\n').map((line) => line.trimEnd()).join('\n');
}

/**
 * Poll the pane every 250 ms until `done(screen)`; after `timeoutMs` (default SCREEN_DEADLINE_MS) throws with the
 * last screen — or, with an explicit `timeoutMs`, returns the last screen for the caller to judge.
 */
async function waitForScreen(session: string, what: string, done: (text: string) => boolean, timeoutMs?: number): Promise<string> {
  const deadline = Date.now() + (timeoutMs ?? SCREEN_DEADLINE_MS);
  for (;;) {
    const text = await screen(session);
    if (done(text)) return text;
    if (Date.now() > deadline && timeoutMs !== undefined) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last screen:\n${text}`);
    await sleep(250);
  }
}

type Run = {
  dialog: string;
  final: string;
  requests: RecordedRequest[];
  workspace: string;
  dir: string;
  /** Command lines of the run's processes just before cleanup, and those outside the pane's process tree. */
  commands: string[];
  escaped: number[];
};

/**
 * Start `c.cli` in a fresh git workspace against a model server scripted with `toolCall`, wait for the permission
 * dialog, press the allow key or Escape, and wait until the CLI shows the final marker or the denial and is idle.
 * Every process of the run is killed (by its env marker) before this returns or throws.
 */
async function runOnce(c: CliCase, toolCall: ModelToolCall, answer: 'allow' | 'deny'): Promise<Run> {
  const name = `${c.cli}-${toolCall.kind}-${answer}`;
  const dir = join(root, name);
  const workspace = join(dir, 'ws');
  await mkdir(workspace, { recursive: true });
  await execa('git', ['init', '-q'], { cwd: workspace });
  const marker = `HEARTH-DONE-${randomBytes(4).toString('hex')}`;
  const server = await startModelServer({ toolCall, finalText: `Done: I did it. ${marker}` });
  const runMark = `${fileMark}:${name}`;
  try {
    const geminiSystemSettings = c.cli === 'gemini' ? { ui: { hideTips: true } } : undefined;
    const env = await cliEnv(c.cli, { root: dir, workspace, modelUrl: server.url, ...(geminiSystemSettings && { geminiSystemSettings }) });
    const envArgs = Object.entries({ ...env, [MARK_VAR]: runMark }).map(([key, value]) => `${key}=${value}`);
    const argv = cliArgv(c.cli, `Please do the ${toolCall.kind} task`);
    await tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', '-c', workspace, '--', '/usr/bin/env', '-i', ...envArgs, ...argv);
    const dialog = await waitForScreen(name, `${c.cli}'s permission dialog`, (text) => text.includes(c.dialog[toolCall.kind]));
    // A TUI may draw its dialog a moment before it reads keys: let it settle, and press again if the key was lost.
    await sleep(500);
    const key = answer === 'allow' ? c.allowKey : 'Escape';
    const settled = (text: string) =>
      (answer === 'allow' ? text.includes(marker) : c.denied.test(text)) && !text.includes(c.busy);
    await tmux('send-keys', '-t', `${name}:`, key);
    let final = await waitForScreen(name, `${c.cli}'s answer`, (text) => settled(text) || text.includes(c.dialog[toolCall.kind]) === false, 10_000);
    if (!settled(final) && final.includes(c.dialog[toolCall.kind])) {
      await tmux('send-keys', '-t', `${name}:`, key);
    }
    final = await waitForScreen(name, answer === 'allow' ? `${c.cli}'s final text` : `${c.cli}'s denial`, settled);
    expect(final.includes(marker)).toBe(answer === 'allow');
    const panePid = Number((await tmux('display-message', '-p', '-t', `${name}:`, '#{pane_pid}')).stdout.trim());
    const pids = markedPids(runMark);
    return { dialog, final, requests: server.requests(), workspace, dir, commands: pids.map(cmdline), escaped: outsideTree(panePid, pids) };
  } finally {
    await killMarked(runMark);
    await tmux('kill-session', '-t', `${name}:`).catch(() => undefined);
    await server.stop();
  }
}

beforeAll(async () => {
  root = await secureTempDir('model-server');
});

afterAll(async () => {
  const left = await killMarked(fileMark);
  await tmux('kill-server').catch(() => undefined);
  const unmarked = root ? pidsMatching(root) : []; // e.g. a daemon started from a copy under CODEX_HOME
  if (root) await rm(root, { recursive: true, force: true });
  expect(left).toEqual([]);
  expect(unmarked).toEqual([]);
});

describe.each(CASES)('$cli against the scripted model server', (c) => {
  test('asks before a shell command; the allow key runs it and the final text arrives', async () => {
    const run = await runOnce(c, SHELL, 'allow');
    expect(run.dialog).toContain('touch approved.txt');
    expect(existsSync(join(run.workspace, 'approved.txt'))).toBe(true);
    const ours = run.requests.filter((r) => r.api === c.api);
    expect(ours.filter((r) => r.turn === 'tool-call')).toHaveLength(1);
    expect(ours.filter((r) => r.turn === 'final' && r.toolResult !== null)).toHaveLength(1);
    expect(ours.every((r) => r.headers[c.keyHeader] === '[redacted]')).toBe(true);
    expect(JSON.stringify(run.requests)).not.toMatch(/hearth-test-(openai|gemini)-key|sk-ant-hearth-test/);
    expect(run.commands.length).toBeGreaterThan(0);
    expect(run.escaped).toEqual([]); // nothing left the pane's process tree
    if (c.cli === 'codex') {
      expect(run.commands.filter((command) => command.includes('app-server'))).toEqual([]);
      expect(existsSync(join(run.dir, 'codex', 'codex-home', 'packages'))).toBe(false); // --no-daemon: no 404 MB copy
    }
    if (c.cli === 'gemini') expect(run.final).not.toContain('Tips for getting started'); // system settings layer read
  });

  test('the deny key (Escape) leaves no file and sends no tool result back', async () => {
    const run = await runOnce(c, SHELL, 'deny');
    expect(run.dialog).toContain('touch approved.txt');
    expect(existsSync(join(run.workspace, 'approved.txt'))).toBe(false);
    expect(run.requests.filter((r) => r.api === c.api && r.turn === 'tool-call')).toHaveLength(1);
    expect(run.requests.filter((r) => r.toolResult !== null)).toEqual([]);
    expect(run.commands.length).toBeGreaterThan(0);
    expect(run.escaped).toEqual([]);
  });

  test('asks before a scripted file write; allowed, the file holds the scripted content', async () => {
    const run = await runOnce(c, WRITE, 'allow');
    expect(run.dialog).toContain('written.txt');
    expect(readFileSync(join(run.workspace, 'written.txt'), 'utf8')).toBe(WRITE_CONTENT);
    expect(run.requests.filter((r) => r.turn === 'final' && r.toolResult !== null)).toHaveLength(1);
  });
});
