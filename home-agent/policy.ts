// The home machine's approval policy (DESIGN.md rule 8): allow read-only tools, deny destructive commands and writes
// outside the workspace, ask about the rest. Pure: no I/O. Nothing from the phone can change it.
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { MAX_APPROVAL_DEADLINE_MS } from '../protocol/index.ts';

/** A tool call as every backend normalizes it: what kind of effect, and on what. */
export type ToolCall = {
  kind: 'read' | 'write' | 'shell' | 'fetch' | 'other';
  /** The CLI's own tool name (Bash, write_file, shell…). */
  tool: string;
  /** For `shell`: the command line. */
  command?: string;
  /** Files the call reads or writes, as the CLI gave them (relative to `cwd` when not absolute). */
  paths: string[];
  cwd: string;
};

export type Verdict = { verdict: 'allow' | 'deny' | 'ask'; reason: string };

const Pattern = z.string().max(500).refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/** <configDir>/policy.json; every field optional, defaults below. Patterns are JavaScript regular expressions. */
export const PolicyFile = z.strictObject({
  /** Commands that run without asking when every part of the command line matches one of these. */
  allowCommands: z.array(Pattern).max(200).default([
    '^git (status|diff|log|show|branch|rev-parse)( |$)',
    '^(ls|pwd|cat|head|tail|wc|echo|grep|rg|find|which|date)( |$)',
  ]),
  /** Commands refused outright, on top of the built-in destructive ones. */
  denyCommands: z.array(Pattern).max(200).default([]),
  /** How long the phone has to answer, in minutes (no answer → denied). */
  approvalDeadlineMinutes: z.number().int().min(1).max(MAX_APPROVAL_DEADLINE_MS / 60_000).default(30),
  /** The longest "allow what the policy would ask about" the phone may turn on, in minutes; 0 disables it. */
  maxAutoAllowMinutes: z.number().int().min(0).max(24 * 60).default(60),
});
export type Policy = z.infer<typeof PolicyFile>;

export const DEFAULT_POLICY: Policy = PolicyFile.parse({});

// Built-in destructive commands: always denied, whatever the file says.
const DESTRUCTIVE: Array<[RegExp, string]> = [
  [/\b(curl|wget|fetch)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k|fi)?sh\b/, 'pipes a download into a shell'],
  [/\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(python3?|node|perl|ruby)\b/, 'pipes a download into an interpreter'],
  [/\bgit\s+push\b.*(\s--force(-with-lease)?\b|\s-[a-zA-Z]*f\b|\s\+\S)/, 'force-pushes'],
  [/\bmkfs(\.\w+)?\b/, 'formats a file system'],
  [/\bdd\b.*\bof=\/dev\//, 'writes a raw device'],
  [/:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/, 'is a fork bomb'],
  [/\bchmod\s+(-\w+\s+)*-R\b.*\s\/(\s|$)/, 'changes permissions of the whole file system'],
  [/>\s*\/dev\/(sd|nvme|hd)/, 'writes a raw disk'],
  [/\bgit\s+(reset\s+--hard|clean\s+-\w*f)/, 'throws away uncommitted work'],
];

/** `rm` with both a recursive and a force flag, in any spelling (`-rf`, `-fr`, `-r -f`, `--recursive --force`). */
function isForcedRecursiveRm(segment: string): boolean {
  const words = segment.trim().split(/\s+/);
  const at = words.findIndex((w) => w === 'rm' || w.endsWith('/rm'));
  if (at < 0) return false;
  const flags = words.slice(at + 1).filter((w) => w.startsWith('-'));
  const short = flags.filter((f) => !f.startsWith('--')).join('');
  const recursive = /[rR]/.test(short) || flags.includes('--recursive');
  const force = /f/.test(short) || flags.includes('--force');
  return recursive && force;
}

/** Splits a command line at `;`, `&&`, `||`, `|`, `&` and newlines. Quotes are not honoured: splitting more is safer. */
const segments = (command: string): string[] =>
  command
    .replace(/\d*[<>]&-?\d*/g, ' ') // fd duplication (2>&1) is not a separator
    .replace(/\d*>>?\s*\/dev\/null\b/g, ' ')
    .split(/\|\||&&|[;|&\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Redirect targets (`> file`, `>> file`, `2> file`) in a command line. */
const redirectTargets = (command: string): string[] =>
  [...command.matchAll(/\d*>>?\s*([^\s;&|<>]+)/g)].map((m) => m[1] ?? '').filter((t) => t && !t.startsWith('&') && t !== '/dev/null');

const inside = (workspace: string, cwd: string, path: string): boolean => {
  const rel = relative(resolve(workspace), resolve(cwd, path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Decide one tool call. Order: destructive or configured-deny commands → deny; writes (files or redirects) outside
 * `workspace` → deny; reads inside the workspace and allowlisted command lines → allow; everything else → ask.
 */
export function decide(policy: Policy, call: ToolCall, workspace: string): Verdict {
  if (call.kind === 'shell') {
    const command = call.command ?? '';
    for (const [re, why] of DESTRUCTIVE) if (re.test(command)) return { verdict: 'deny', reason: `the command ${why}` };
    if (segments(command).some(isForcedRecursiveRm)) return { verdict: 'deny', reason: 'the command runs rm -rf' };
    const denied = policy.denyCommands.find((p) => new RegExp(p).test(command));
    if (denied) return { verdict: 'deny', reason: `the command matches the home policy's deny rule ${denied}` };
    const outside = redirectTargets(command).find((t) => !inside(workspace, call.cwd, t));
    if (outside) return { verdict: 'deny', reason: `the command writes outside the workspace (${outside})` };
    if (/[`]|\$\(|<\(|>\(/.test(command)) return { verdict: 'ask', reason: 'the command substitutes other commands' };
    if (redirectTargets(command).length > 0) return { verdict: 'ask', reason: 'the command writes a file' };
    const parts = segments(command);
    const allowed = parts.length > 0 && parts.every((part) => policy.allowCommands.some((p) => new RegExp(p).test(part)));
    return allowed ? { verdict: 'allow', reason: 'a read-only command the home policy allows' } : { verdict: 'ask', reason: 'the command may change things' };
  }
  if (call.kind === 'write') {
    const outside = call.paths.find((p) => !inside(workspace, call.cwd, p));
    if (outside) return { verdict: 'deny', reason: `writes outside the workspace (${outside})` };
    return { verdict: 'ask', reason: 'writes a file in the workspace' };
  }
  if (call.kind === 'read') {
    const outside = call.paths.find((p) => !inside(workspace, call.cwd, p));
    if (outside) return { verdict: 'ask', reason: `reads outside the workspace (${outside})` };
    return { verdict: 'allow', reason: 'reads inside the workspace' };
  }
  return { verdict: 'ask', reason: call.kind === 'fetch' ? 'fetches from the network' : 'a tool the policy does not know' };
}
