// The per-task hook configuration each CLI reads (docs/cli-backends.md §1.5, §2.5, §3.5): which event, the
// `hearth hook` command line, and the timeouts. Pure text; never touches the user's own config files.
import type { Backend } from '../../protocol/index.ts';
import { GEMINI_GATED_TOOLS } from './gemini-tools.ts';

/** `hearth hook` waits this much longer than the approval deadline, in ms (the gate may start a little late). */
export const HOOK_MARGIN_MS = 30_000;
/**
 * The CLI's own hook timeout exceeds the approval deadline by this much, in ms: always above HOOK_MARGIN_MS, so
 * `hearth hook` answers deny before the CLI gives up on it (a CLI timeout is "no decision", which may fail open).
 */
export const CLI_MARGIN_MS = 90_000;

/** POSIX shell quoting: each word in single quotes unless it is plainly safe. */
export const shellQuote = (words: readonly string[]): string =>
  words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');

/** The shell command line a CLI runs for its hook: `<node> <cli.ts> hook <backend> --timeout-ms <deadline + margin>`. */
export const hookCommand = (hearth: readonly string[], backend: Exclude<Backend, 'shell'>, deadlineMs: number): string =>
  shellQuote([...hearth, 'hook', backend, '--timeout-ms', String(deadlineMs + HOOK_MARGIN_MS)]);

const cliTimeoutSeconds = (deadlineMs: number): number => Math.ceil((deadlineMs + CLI_MARGIN_MS) / 1000);

/** Claude Code `--settings` file: a PermissionRequest hook for every tool; `timeout` in seconds. */
export function claudeSettings(hearth: readonly string[], deadlineMs: number): string {
  const hook = { type: 'command', command: hookCommand(hearth, 'claude', deadlineMs), timeout: cliTimeoutSeconds(deadlineMs) };
  return `${JSON.stringify({ hooks: { PermissionRequest: [{ matcher: '.*', hooks: [hook] }] } }, null, 2)}\n`;
}

/** Codex `-c` value: a PermissionRequest hook for every tool, as a TOML inline table; `timeout` in seconds. */
export function codexHookOverride(hearth: readonly string[], deadlineMs: number): string {
  // A JSON string literal is a valid TOML basic string (same escapes, \uXXXX included).
  const command = JSON.stringify(hookCommand(hearth, 'codex', deadlineMs));
  return `hooks.PermissionRequest=[{matcher=".*",hooks=[{type="command",command=${command},timeout=${cliTimeoutSeconds(deadlineMs)}}]}]`;
}

/**
 * Gemini system-settings layer (GEMINI_CLI_SYSTEM_SETTINGS_PATH): a BeforeTool hook for every tool; `timeout` in
 * MILLISECONDS. The hook answers `allow` for tools outside GEMINI_GATED_TOOLS, which leaves them to Gemini's own
 * policy (a BeforeTool allow never approves by itself). `env` is given to the hook explicitly: Gemini's
 * environment redaction, when the user turns it on, drops variables named like *TOKEN*.
 */
export function geminiSettings(hearth: readonly string[], deadlineMs: number, env: Record<string, string>): string {
  const hook = { name: 'hearth', type: 'command', command: hookCommand(hearth, 'gemini', deadlineMs), timeout: deadlineMs + CLI_MARGIN_MS, env };
  return `${JSON.stringify({ hooks: { BeforeTool: [{ matcher: '.*', hooks: [hook] }] } }, null, 2)}\n`;
}

/** Gemini `--policy` file: allow the gated tools, so the BeforeTool hook (the phone) is what decides them. */
export const geminiPolicy = (): string =>
  GEMINI_GATED_TOOLS.map((tool) => `[[rule]]\ntoolName = "${tool}"\ndecision = "allow"\npriority = 500\n`).join('\n');
