// What every backend's tool table produces from one hook payload: the kind of effect, its target, and a one-line
// summary for the phone. Pure helpers shared by claude-tools.ts, codex-tools.ts and gemini-tools.ts.
import type { ToolCall } from '../policy.ts';

/** A tool call as one CLI's table reads it; `cwd` (when the tool names its own directory) is relative to the CLI's. */
export type Classified = Pick<ToolCall, 'kind' | 'command' | 'paths'> & { summary: string; cwd?: string };

export type ToolInput = Record<string, unknown>;

/** `input[key]` when it is a non-empty string. */
export const text = (input: ToolInput, key: string): string | undefined => {
  const value = input[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The first of `keys` that holds a non-empty string. */
export const firstText = (input: ToolInput, ...keys: string[]): string | undefined =>
  keys.map((k) => text(input, k)).find((v) => v !== undefined);

/** A command given as a string, or as an argv array (joined, each word single-quoted when it needs it). */
export function commandText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((w) => typeof w === 'string')) {
    return (value as string[]).map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');
  }
  return undefined;
}

/** A file tool: `kind` on the path in one of `keys` (no path: the CLI's cwd). */
export function fileCall(kind: 'read' | 'write', input: ToolInput, ...keys: string[]): Classified {
  const path = firstText(input, ...keys);
  return { kind, paths: [path ?? '.'], summary: path ?? '(the working directory)' };
}

/** A shell command (an empty command still asks: the policy never allows an empty command line). */
export const shellCall = (command: string | undefined, cwd?: string): Classified => ({
  kind: 'shell',
  command: command ?? '',
  paths: [],
  summary: command ?? '(no command)',
  ...(cwd === undefined ? {} : { cwd }),
});

/** Anything the table does not know: asked about, summarised by its name and input. */
export function otherCall(tool: string, input: ToolInput): Classified {
  const json = JSON.stringify(input);
  return { kind: 'other', paths: [], summary: `${tool} ${json.length > 200 ? `${json.slice(0, 200)}…` : json}` };
}
