// Per-test offline homes for the real Claude Code / Codex / Gemini CLIs: a temp HOME (and CODEX_HOME) seeded so no
// onboarding, login or trust screen appears, and the env that points each CLI at a local model server. Never reads
// or writes the real user's CLI config (facts from /tmp/cli-lab/FINDINGS.md, for the pinned CLI versions).
import { chmod, mkdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertGeminiTrustedPath } from './secure-dir.ts';

export { secureTempDir } from './secure-dir.ts';

export type CliName = 'claude' | 'codex' | 'gemini';

export type CliEnvOptions = {
  /** A directory the test owns; homes are made under `<root>/<cli>/`. Use secureTempDir(): Codex refuses helper binaries under /tmp. */
  root: string;
  /** The absolute workspace the CLI runs in; it is marked trusted. */
  workspace: string;
  /** The scripted model server, `http://127.0.0.1:PORT`. */
  modelUrl: string;
  /**
   * Gemini only: written as a system settings layer (GEMINI_CLI_SYSTEM_SETTINGS_PATH), the place for per-run hooks.
   * Gemini skips that file unless it and every ancestor are root-owned and not group/other-writable, so
   * `root` must come from secureTempDir() and the tests must run as root; cliEnv throws otherwise.
   */
  geminiSystemSettings?: Record<string, unknown>;
};

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** node_modules/.bin of this repo: the pinned CLIs and node 24. */
export const CLI_BIN_DIR = join(REPO, 'node_modules', '.bin');

/** Fake keys: the model server only checks that they arrive, and records them redacted. */
const ANTHROPIC_KEY = 'sk-ant-hearth-test-0123456789abcdefghijklmnop';
const OPENAI_KEY = 'hearth-test-openai-key';
const GEMINI_KEY = 'hearth-test-gemini-key';

/** The argv (absolute binary first) that starts `cli` interactively on `prompt` in a mode where tool calls ask. */
export function cliArgv(cli: CliName, prompt: string): string[] {
  const bin = join(CLI_BIN_DIR, cli);
  if (cli === 'claude') return [bin, '--permission-mode', 'default', prompt]; // its default "auto" mode never asks
  if (cli === 'codex') return [bin, '--no-daemon', prompt]; // else it copies 404 MB and leaves daemons running
  return [bin, '--approval-mode', 'default', prompt];
}

const writeJson = (path: string, value: unknown): Promise<void> => writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });

async function seedClaude(home: string, workspaces: string[]): Promise<Record<string, string>> {
  const project = { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [] };
  await writeJson(join(home, '.claude.json'), {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: '2.1.197',
    theme: 'dark',
    numStartups: 5,
    customApiKeyResponses: { approved: [ANTHROPIC_KEY.slice(-20)], rejected: [] },
    projects: Object.fromEntries(workspaces.map((ws) => [ws, project])),
  });
  return {
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
}

async function seedCodex(dir: string, workspaces: string[], modelUrl: string): Promise<Record<string, string>> {
  const codexHome = join(dir, 'codex-home');
  await mkdir(codexHome, { recursive: true, mode: 0o700 });
  const q = (text: string): string => JSON.stringify(text); // a JSON string is a valid TOML basic string
  const toml = [
    'model = "lab-model"',
    'model_provider = "lab"',
    'approval_policy = "on-request"',
    'sandbox_mode = "read-only"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.lab]',
    'name = "Hearth test model"',
    `base_url = ${q(`${modelUrl}/v1`)}`,
    'env_key = "HEARTH_TEST_OPENAI_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    ...workspaces.flatMap((ws) => ['', `[projects.${q(ws)}]`, 'trust_level = "trusted"']),
  ];
  await writeFile(join(codexHome, 'config.toml'), `${toml.join('\n')}\n`, { mode: 0o600 });
  return { CODEX_HOME: codexHome, HEARTH_TEST_OPENAI_KEY: OPENAI_KEY };
}

async function seedGemini(dir: string, home: string, opts: CliEnvOptions, workspaces: string[]): Promise<Record<string, string>> {
  const gemini = join(home, '.gemini');
  await mkdir(gemini, { recursive: true, mode: 0o700 });
  await writeJson(join(gemini, 'settings.json'), {
    security: { auth: { selectedType: 'gemini-api-key' } },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
  });
  await writeJson(join(gemini, 'trustedFolders.json'), Object.fromEntries(workspaces.map((ws) => [ws, 'TRUST_FOLDER'])));
  const env: Record<string, string> = { GEMINI_API_KEY: GEMINI_KEY, GOOGLE_GEMINI_BASE_URL: opts.modelUrl };
  if (opts.geminiSystemSettings) {
    const path = join(dir, 'gemini-system-settings.json');
    await writeJson(path, opts.geminiSystemSettings);
    await chmod(path, 0o600);
    await assertGeminiTrustedPath(path);
    env.GEMINI_CLI_SYSTEM_SETTINGS_PATH = path;
  }
  return env;
}

/**
 * Make `<root>/<cli>/home` (and Codex's CODEX_HOME) seeded for an offline run against `modelUrl`, and return the
 * complete env to start the CLI with (run it under `env -i` so nothing else leaks in): HOME, PATH
 * (node_modules/.bin first), TERM, LANG and the CLI's own variables. Throws when the Gemini system settings
 * would be skipped as insecure. Each call with the same root and cli rewrites that CLI's config files.
 */
export async function cliEnv(cli: CliName, opts: CliEnvOptions): Promise<Record<string, string>> {
  const dir = join(opts.root, cli);
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const real = await realpath(opts.workspace);
  const workspaces = [...new Set([opts.workspace, real])];
  const base = { HOME: home, PATH: `${CLI_BIN_DIR}:/usr/local/bin:/usr/bin:/bin`, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  if (cli === 'claude') return { ...base, ANTHROPIC_BASE_URL: opts.modelUrl, ...(await seedClaude(home, workspaces)) };
  if (cli === 'codex') return { ...base, ...(await seedCodex(dir, workspaces, opts.modelUrl)) };
  return { ...base, ...(await seedGemini(dir, home, opts, workspaces)) };
}
