// The `hearth` commands other than `hook`: thin commander wiring for login, start, status and kill-all; logic lives
// in the modules. Errors end as one line on stderr (`hearth: <code>: <what to do>`) and exit code 1.
import { Command } from 'commander';
import { runAgent } from './agent.ts';
import { AgentError, errorLine } from './agent-error.ts';
import { loadConfig, type ConfigFlags } from './config.ts';
import { ensurePrivateDir, readCredentials } from './credentials.ts';
import { deviceLogin } from './device-login.ts';
import { killAll } from './kill-all.ts';
import { statusReport } from './status-report.ts';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

const program = new Command('hearth')
  .description('Hearth home agent: run tasks from your phone in tmux on this machine')
  .option('--config-dir <dir>', 'config directory (default $HEARTH_HOME or ~/.config/hearth)')
  .showHelpAfterError()
  .addHelpText('after', '\nThe AI CLIs run `hearth hook <claude|codex|gemini>` themselves to ask for approvals; not for use by hand.');

const flags = (extra: Partial<ConfigFlags> = {}): ConfigFlags => ({
  configDir: program.opts<{ configDir?: string }>().configDir,
  ...extra,
});

program
  .command('login')
  .description('pair this machine with your Hearth account (RFC 8628 device flow)')
  .option('--server <url>', 'the Hearth server, e.g. https://hearth.example.workers.dev')
  .option('--name <name>', 'a name for this machine, shown on the phone')
  .option('--json', 'print the code as one JSON line on stdout (for scripts)')
  .action(async (opts: { server?: string; name?: string; json?: boolean }) => {
    const config = loadConfig(flags({ server: opts.server }));
    if (!config.server) throw new AgentError('invalid-request', 'no server: run hearth login --server <url>');
    ensurePrivateDir(config.configDir);
    const human = opts.json ? err : out;
    const { deviceId } = await deviceLogin({
      server: config.server,
      configDir: config.configDir,
      deviceName: opts.name,
      onCode: (code) => {
        if (opts.json) {
          const { user_code, verification_uri, verification_uri_complete, expires_in } = code;
          out(JSON.stringify({ user_code, verification_uri, verification_uri_complete, expires_in }));
        }
        human(`To pair this machine, open ${code.verification_uri_complete ?? code.verification_uri} on your phone`);
        human(`and confirm the code ${code.user_code} (valid ${Math.round(code.expires_in / 60)} min).`);
      },
    });
    human(`Paired as device ${deviceId}. Start the agent with: hearth start`);
  });

program
  .command('start')
  .description('run the agent: pull tasks, run them in tmux, stream their panes')
  .option('--server <url>', 'the Hearth server (must be the one you logged in to)')
  .option('--keep-open-minutes <n>', "keep an AI CLI's window open this long after its turn for a follow-up (0: close at once)")
  .action(async (opts: { server?: string; keepOpenMinutes?: string }) => {
    const config = loadConfig(flags({ server: opts.server, keepOpenMinutes: opts.keepOpenMinutes }));
    const credentials = readCredentials(config.configDir);
    if (!credentials) throw new AgentError('not-paired', 'this machine is not paired: run hearth login --server <url>');
    const server = config.server ?? credentials.server;
    if (server !== credentials.server) {
      throw new AgentError('forbidden', `the token was issued by ${credentials.server}, not ${server}: run hearth login --server ${server}`);
    }
    const agent = await runAgent({ ...config, server, accessToken: credentials.accessToken });
    const shutdown = (): void => {
      agent.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          err(`hearth: ${errorLine(error)}`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    // Revoked: the agent already said so, stopped and killed its tasks' processes; only `hearth login` helps now.
    void agent.revoked.then(() => process.exit(1));
  });

program
  .command('status')
  .description('show configuration, pairing and running tasks (never the token)')
  .action(async () => {
    for (const line of await statusReport(loadConfig(flags()))) out(line);
  });

program
  .command('kill-all')
  .description("end every task's processes and the agent's tmux server")
  .action(async () => {
    const config = loadConfig(flags());
    const { killedPanes } = await killAll(config);
    out(`stopped tmux server "${config.tmuxSocket}" (${killedPanes} pane(s))`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  err(`hearth: ${errorLine(error)}`);
  process.exit(1);
});
