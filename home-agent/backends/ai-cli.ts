// Launchers for the AI coding CLIs with Hearth's approval hook configured per task (files in the task's 0700 dir,
// never the user's config). A fixed bash line reads the prompt file and execs the CLI with it as one argument; the
// task's model, when it has one, is the script's last positional argument and becomes `--model <m>` (never interpolated).
import { join } from 'node:path';
import type { Launcher, LaunchPlan } from './backend.ts';
import { claudeDialogKeys } from './claude-dialog.ts';
import { claudeScreen } from './claude-screen.ts';
import { codexDialogKeys } from './codex-dialog.ts';
import { codexScreen } from './codex-screen.ts';
import { geminiDialogKeys } from './gemini-dialog.ts';
import { geminiScreen } from './gemini-screen.ts';
import { claudeSettings, codexHookOverride, geminiPolicy, geminiSettings } from './hook-config.ts';
import { geminiTrustsDir } from './gemini-trust.ts';

/** `bash -c <fixed script> <name> <args…>`: $1 is the prompt file, $2… the task's files; the script text is constant. */
const viaBash = (script: string, name: string, ...args: string[]): string[] => [
  'bash', '--noprofile', '--norc', '-c', script, name, ...args,
];

/**
 * The model as the script's last positional argument, or nothing. Each script reads it with `${N:+--model "$N"}`:
 * two words (`--model`, the name) when given, none when absent. The name is a ModelName (protocol/task.ts).
 */
const modelArg = (model: string | undefined): string[] => (model ? [model] : []);

export const claudeLauncher: Launcher = {
  name: 'claude',
  binary: 'claude',
  plan: ({ promptFile, taskDir, hearth, deadlineMs, hooks = true, model }): LaunchPlan =>
    hooks
      ? {
          argv: viaBash(
            'exec claude --permission-mode default --settings "$2" ${3:+--model "$3"} -- "$(cat -- "$1")"',
            'hearth-claude', promptFile, join(taskDir, 'claude-settings.json'), ...modelArg(model),
          ),
          files: { 'claude-settings.json': claudeSettings(hearth, deadlineMs) },
        }
      : {
          argv: viaBash('exec claude --permission-mode default ${2:+--model "$2"} -- "$(cat -- "$1")"', 'hearth-claude', promptFile, ...modelArg(model)),
          files: {},
        },
  screen: claudeScreen,
  dialog: claudeDialogKeys,
  quit: '/exit',
};

export const codexLauncher: Launcher = {
  name: 'codex',
  binary: 'codex',
  plan: ({ promptFile, taskDir, hearth, deadlineMs, hooks = true, model }): LaunchPlan =>
    hooks
      ? {
          argv: viaBash(
            'exec codex --no-daemon --dangerously-bypass-hook-trust ${3:+--model "$3"} -c "$(cat -- "$2")" -c \'approval_policy="on-request"\' -- "$(cat -- "$1")"',
            'hearth-codex', promptFile, join(taskDir, 'codex-hooks.toml'), ...modelArg(model),
          ),
          files: { 'codex-hooks.toml': codexHookOverride(hearth, deadlineMs) },
        }
      : {
          argv: viaBash(
            'exec codex --no-daemon ${2:+--model "$2"} -c \'approval_policy="on-request"\' -- "$(cat -- "$1")"',
            'hearth-codex', promptFile, ...modelArg(model),
          ),
          files: {},
        },
  screen: codexScreen,
  dialog: codexDialogKeys,
  quit: '/quit',
};

/**
 * Gemini: the hook lives in a system settings layer that Gemini reads only from root-owned, non-writable paths.
 * When it would be skipped, the `--policy` allow rules must not be given either (they would let tools run with no
 * gate): Gemini then runs in its default mode and asks on screen, which the pane shows.
 */
export const geminiLauncher: Launcher = {
  name: 'gemini',
  binary: 'gemini',
  plan: ({ promptFile, taskDir, hearth, deadlineMs, hookEnv, hooks = true, model }) =>
    hooks && geminiTrustsDir(taskDir)
      ? {
          argv: viaBash(
            'GEMINI_CLI_SYSTEM_SETTINGS_PATH="$2" exec gemini --policy "$3" ${4:+--model "$4"} --prompt-interactive="$(cat -- "$1")"',
            'hearth-gemini', promptFile, join(taskDir, 'gemini-settings.json'), join(taskDir, 'gemini-policy.toml'), ...modelArg(model),
          ),
          files: { 'gemini-settings.json': geminiSettings(hearth, deadlineMs, hookEnv), 'gemini-policy.toml': geminiPolicy() },
        }
      : {
          argv: viaBash(
            'exec gemini --approval-mode default ${2:+--model "$2"} --prompt-interactive="$(cat -- "$1")"',
            'hearth-gemini', promptFile, ...modelArg(model),
          ),
          files: {} as Record<string, string>,
        },
  screen: geminiScreen,
  dialog: geminiDialogKeys,
  quit: '/quit',
};
