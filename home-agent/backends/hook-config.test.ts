import { afterAll, describe, expect, test } from 'vitest';
import { claudeLauncher, codexLauncher, geminiLauncher } from './ai-cli.ts';
import { CLI_MARGIN_MS, HOOK_MARGIN_MS, shellQuote } from './hook-config.ts';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { geminiTrustsDir } from './gemini-trust.ts';

const hearth = ['/opt/node 24/bin/node', "/srv/it's/home-agent/cli.ts"];
const context = { promptFile: '/s/prompts/t.txt', taskDir: '/s/tasks/t', hearth, deadlineMs: 120_000, hookEnv: { HEARTH_HOOK_TOKEN: 'tok' } };
const hookTimeoutMs = (command: string): number => Number(/--timeout-ms (\d+)/.exec(command)?.[1]);

describe('per-task hook files', () => {
  test('claude: PermissionRequest for every tool, timeout in seconds above the hook’s own', () => {
    const plan = claudeLauncher.plan(context);
    expect(plan.argv.slice(-2)).toEqual(['/s/prompts/t.txt', '/s/tasks/t/claude-settings.json']);
    expect(plan.argv.join(' ')).toContain('--permission-mode default --settings');
    const settings = JSON.parse(plan.files['claude-settings.json']!);
    const [group] = settings.hooks.PermissionRequest;
    expect(group.matcher).toBe('.*');
    const [hook] = group.hooks;
    expect(hook.command).toBe(`${shellQuote(hearth)} hook claude --timeout-ms ${120_000 + HOOK_MARGIN_MS}`);
    expect(hook.timeout * 1000).toBe(120_000 + CLI_MARGIN_MS);
    expect(hook.timeout * 1000).toBeGreaterThan(hookTimeoutMs(hook.command));
  });

  test('codex: a -c override with a TOML string command, timeout in seconds', () => {
    const plan = codexLauncher.plan(context);
    expect(plan.argv.join(' ')).toContain('--no-daemon --dangerously-bypass-hook-trust');
    const override = plan.files['codex-hooks.toml']!;
    expect(override).toMatch(/^hooks\.PermissionRequest=\[\{matcher="\.\*",hooks=\[\{type="command",command=".*",timeout=210\}\]\}\]$/);
    expect(hookTimeoutMs(override)).toBe(120_000 + HOOK_MARGIN_MS);
  });

  test('gemini without a settings dir Gemini would trust: default mode, no allow policy, no hook files', () => {
    const plan = geminiLauncher.plan(context); // /s/tasks/t does not exist, so Gemini would skip the settings layer
    expect(plan.files).toEqual({});
    expect(plan.argv.join(' ')).toContain('--approval-mode default');
    expect(plan.argv.join(' ')).not.toContain('--policy');
  });

  test('gemini: BeforeTool with the hook env, timeout in ms; the policy allows only the gated tools', (ctx) => {
    const base = join(homedir(), '.cache');
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const taskDir = mkdtempSync(join(base, 'hearth-gemini-plan-'));
    afterAll(() => rmSync(taskDir, { recursive: true, force: true }));
    if (!geminiTrustsDir(taskDir)) ctx.skip(); // Gemini trusts only root-owned paths (covered by the test above)
    const plan = geminiLauncher.plan({ ...context, taskDir });
    const [hook] = JSON.parse(plan.files['gemini-settings.json']!).hooks.BeforeTool[0].hooks;
    expect(hook.timeout).toBe(120_000 + CLI_MARGIN_MS);
    expect(hook.timeout).toBeGreaterThan(hookTimeoutMs(hook.command));
    expect(hook.env).toEqual({ HEARTH_HOOK_TOKEN: 'tok' });
    const policy = plan.files['gemini-policy.toml']!;
    expect([...policy.matchAll(/toolName = "(\w+)"/g)].map((m) => m[1])).toEqual([
      'run_shell_command', 'write_file', 'replace', 'web_fetch', 'google_web_search',
    ]);
    expect(policy).not.toMatch(/decision = "(?!allow)/);
  });

  test('shell quoting survives spaces and quotes', () => {
    expect(shellQuote(['a b', "it's", 'plain/path.ts'])).toBe(`'a b' 'it'\\''s' plain/path.ts`);
  });
});
