// The `hearth hook <backend> [--timeout-ms N]` process: prints exactly one JSON decision and exits 0 on every path
// (uncaught errors, signals, a watchdog), so no failure can fail open. Imports little until its guards are set.
import { hookOutput } from './backends/hook-output.ts';

type HookBackend = 'claude' | 'codex' | 'gemini';

/** Used when the launcher passed no --timeout-ms: the default approval deadline (30 min) plus 30 s. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000 + 30_000;
/** The watchdog fires this long after the exchange's own timeout. */
const WATCHDOG_SLACK_MS = 5_000;

/** A deny both Claude/Codex and Gemini read as deny, for when the backend argument itself is unusable. */
const anyDeny = (reason: string): string =>
  JSON.stringify({ decision: 'deny', reason, hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: reason } } });

/** Parse `<backend> [--timeout-ms N]`; undefined backend when it is not one with hooks. */
export function parseHookArgs(args: readonly string[]): { backend: HookBackend | undefined; timeoutMs: number } {
  const first = args[0];
  const backend = first === 'claude' || first === 'codex' || first === 'gemini' ? first : undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  const at = args.indexOf('--timeout-ms');
  const value = at >= 0 ? Number(args[at + 1]) : NaN;
  if (Number.isInteger(value) && value >= 1_000 && value <= 25 * 60 * 60_000) timeoutMs = value;
  return { backend, timeoutMs };
}

/** Run the hook process to completion: writes one line to stdout, then exits 0. */
export async function hookMain(args: readonly string[]): Promise<void> {
  const { backend, timeoutMs } = parseHookArgs(args);
  let printed = false;
  const answer = (decision: 'allow' | 'deny', reason: string): void => {
    if (printed) return;
    printed = true;
    const line = backend ? hookOutput(backend, { decision, reason }) : anyDeny(reason);
    process.stdout.write(`${line}\n`, () => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  const denyOn = (reason: string) => () => answer('deny', `Hearth: ${reason}`);
  process.on('uncaughtException', (error) => answer('deny', `Hearth: the hook crashed: ${error.message}`));
  process.on('unhandledRejection', denyOn('the hook crashed'));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, denyOn(`the hook was stopped (${signal})`));
  process.on('SIGPIPE', () => undefined);
  setTimeout(denyOn('no decision in time'), timeoutMs + WATCHDOG_SLACK_MS);
  if (!backend) return denyOn(`unknown backend ${JSON.stringify(args[0] ?? '')}`)();
  try {
    const { decideHook } = await import('./hook-command.ts');
    const result = await decideHook({ backend, stdin: process.stdin, env: process.env, timeoutMs });
    answer(result.decision, result.reason);
  } catch (error) {
    answer('deny', `Hearth: the hook failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
