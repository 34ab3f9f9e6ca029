// The home agent's configuration: the ONE module that reads the environment. Precedence: flags > env > config
// file (<dir>/config.json) > defaults. Invalid input fails fast with the zod error; the file is never rewritten.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { TaskId, WorkspaceName } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';
import { PolicyFile, type Policy } from './policy.ts';
import { isTmuxSafe } from './tmux-safe.ts';

const ServerUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const MaxConcurrent = z.coerce.number().int().min(1).max(64);
/** Minutes an AI CLI's idle window stays open for a follow-up (0: quit at once); fractions allowed, ≤ 24 h. */
const KeepOpenMinutes = z.coerce.number().min(0).max(1440);
const TmuxSocket = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only (at most 64)');

const Workspace = z.strictObject({
  name: WorkspaceName,
  path: z
    .string()
    .refine(isAbsolute, 'must be an absolute path')
    .refine(isTmuxSafe, 'must not contain "#", a newline, or end with ";" (tmux would interpret them)')
    .refine((p) => isDirectory(p), 'must be an existing directory'),
});
export type Workspace = z.infer<typeof Workspace>;

/** <dir>/config.json */
export const ConfigFile = z.strictObject({
  server: ServerUrl.optional(),
  workspaces: z
    .array(Workspace)
    .max(100)
    .refine((ws) => new Set(ws.map((w) => w.name)).size === ws.length, 'workspace names must be unique')
    .default([]),
  maxConcurrent: MaxConcurrent.optional(),
  tmuxSocket: TmuxSocket.optional(),
  keepOpenMinutes: KeepOpenMinutes.optional(),
});

const Env = z.object({
  HEARTH_HOME: z
    .string()
    .refine(isAbsolute, 'must be an absolute path')
    .refine(isTmuxSafe, 'must not contain "#", a newline, or end with ";"')
    .optional(),
  HEARTH_SERVER: ServerUrl.optional(),
  HEARTH_MAX_CONCURRENT: MaxConcurrent.optional(),
  HEARTH_TMUX_SOCKET: TmuxSocket.optional(),
  HEARTH_KEEP_OPEN_MINUTES: KeepOpenMinutes.optional(),
});

/** Values given on the command line; each wins over env and file. */
export type ConfigFlags = {
  server?: string;
  configDir?: string;
  maxConcurrent?: string;
  tmuxSocket?: string;
  keepOpenMinutes?: string;
};

export type Config = {
  /** 0700 directory holding config.json, the token file, local state and prompt files. */
  configDir: string;
  /** The Worker's origin (no trailing slash), or undefined until set by flag, env, file or login. */
  server: string | undefined;
  workspaces: Workspace[];
  maxConcurrent: number;
  tmuxSocket: string;
  /**
   * How long an AI CLI's window stays open after its turn for a follow-up from the phone, in minutes (0 ≤ n ≤ 1440,
   * fractions allowed). 0: the CLI is quit and its window closed as soon as the turn is over.
   */
  keepOpenMinutes: number;
  /** The PATH searched for backend CLIs (claude, codex, gemini). */
  searchPath: string;
};

export const DEFAULT_MAX_CONCURRENT = 2;
export const DEFAULT_TMUX_SOCKET = 'hearth';
export const DEFAULT_KEEP_OPEN_MINUTES = 30;

/**
 * Resolve the configuration. `env` defaults to process.env and `home` to the user's home directory.
 * Throws AgentError `config-invalid` naming the bad source and paths.
 */
export function loadConfig(
  flags: ConfigFlags = {},
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): Config {
  const fromEnv = parseOrThrow(Env, pickHearthEnv(env), 'environment');
  const fromFlags = parseOrThrow(
    z.object({
      server: ServerUrl.optional(),
      configDir: z
        .string()
        .refine(isAbsolute, 'must be an absolute path')
        .refine(isTmuxSafe, 'must not contain "#", a newline, or end with ";"')
        .optional(),
      maxConcurrent: MaxConcurrent.optional(),
      tmuxSocket: TmuxSocket.optional(),
      keepOpenMinutes: KeepOpenMinutes.optional(),
    }),
    flags,
    'command line',
  );
  const configDir = fromFlags.configDir ?? fromEnv.HEARTH_HOME ?? join(home, '.config', 'hearth');
  const file = readConfigFile(join(configDir, 'config.json'));
  return {
    configDir,
    server: fromFlags.server ?? fromEnv.HEARTH_SERVER ?? file.server,
    workspaces: file.workspaces,
    maxConcurrent: fromFlags.maxConcurrent ?? fromEnv.HEARTH_MAX_CONCURRENT ?? file.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
    tmuxSocket: fromFlags.tmuxSocket ?? fromEnv.HEARTH_TMUX_SOCKET ?? file.tmuxSocket ?? DEFAULT_TMUX_SOCKET,
    keepOpenMinutes:
      fromFlags.keepOpenMinutes ?? fromEnv.HEARTH_KEEP_OPEN_MINUTES ?? file.keepOpenMinutes ?? DEFAULT_KEEP_OPEN_MINUTES,
    searchPath: env.PATH ?? '',
  };
}

/** The approval policy file in a config dir. */
export const policyPath = (configDir: string): string => join(configDir, 'policy.json');

/**
 * Read `<configDir>/policy.json` (PolicyFile); a missing file is the default policy. Throws AgentError
 * `config-invalid` with the zod issues when the file is not valid: the agent must not start on a policy it misread.
 */
export function loadPolicy(configDir: string): { policy: Policy; source: 'file' | 'defaults' } {
  const file = policyPath(configDir);
  const json = readJsonFile(file);
  return json === undefined ? { policy: PolicyFile.parse({}), source: 'defaults' } : { policy: parseOrThrow(PolicyFile, json, file), source: 'file' };
}

/** Read and validate config.json; a missing file is an empty config. */
function readConfigFile(file: string): z.infer<typeof ConfigFile> {
  const json = readJsonFile(file);
  return parseOrThrow(ConfigFile, json ?? {}, file);
}

/** A JSON file's value, or undefined when it does not exist. Throws AgentError `config-invalid` otherwise. */
function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AgentError('config-invalid', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AgentError('config-invalid', `${file} is not valid JSON: fix or remove it`, { cause: error });
  }
}

function pickHearthEnv(env: Record<string, string | undefined>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of ['HEARTH_HOME', 'HEARTH_SERVER', 'HEARTH_MAX_CONCURRENT', 'HEARTH_TMUX_SOCKET', 'HEARTH_KEEP_OPEN_MINUTES']) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return picked;
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, source: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new AgentError('config-invalid', `invalid configuration in ${source}: ${where}`, { cause: parsed.error });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What a task window tells `hearth hook` (set by task-launch.ts): the agent's socket, the task, its hook token. */
export type HookEnv = { socket: string; taskId: string; token: string };

const HookEnvSchema = z.object({
  HEARTH_HOOK_SOCKET: z.string().refine(isAbsolute, 'must be an absolute path'),
  // The task marker `<tmux socket>:<task id>` (process-tree.ts), or a bare task id.
  HEARTH_TASK: z.string().transform((v) => v.slice(v.lastIndexOf(':') + 1)).pipe(TaskId),
  HEARTH_HOOK_TOKEN: z.string().min(16).max(128),
});

/** Parse the hook's environment. Never throws: the hook must answer deny, not crash, when it is missing. */
export function parseHookEnv(env: Record<string, string | undefined>): { ok: true; value: HookEnv } | { ok: false; error: string } {
  const parsed = HookEnvSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, error: `not started by the Hearth agent (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')} missing or invalid)` };
  }
  const { HEARTH_HOOK_SOCKET: socket, HEARTH_TASK: taskId, HEARTH_HOOK_TOKEN: token } = parsed.data;
  return { ok: true, value: { socket, taskId, token } };
}
