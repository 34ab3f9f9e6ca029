// Pairs a home agent exactly as a person would: runs `hearth login --json` (RFC 8628 device flow) and approves
// the printed user_code as the signed-in owner. Used by `npm start`, the e2e tests and the bench.
import { execa } from 'execa';
import { z } from 'zod';
import { approveDevice } from './dev-api.ts';

const LoginStart = z.object({ user_code: z.string(), verification_uri: z.string() });

/**
 * Runs `node home-agent/cli.ts login --json --name <name>` in `root` with `env` (HEARTH_HOME, HEARTH_SERVER…),
 * approves its user_code with the owner's session `cookie`, and resolves once the token is saved.
 * Throws with the CLI's stderr when login fails.
 */
export async function pairAgentWithCli(opts: {
  root: string;
  env: Record<string, string>;
  origin: string;
  cookie: string;
  name: string;
}): Promise<{ userCode: string }> {
  const login = execa('node', ['home-agent/cli.ts', 'login', '--json', '--name', opts.name], {
    cwd: opts.root,
    env: opts.env,
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    let buf = '';
    login.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    login.then((r) => reject(new Error(`hearth login exited ${r.exitCode} before printing a code: ${r.stderr}`)), reject);
  });
  const { user_code } = LoginStart.parse(JSON.parse(firstLine));
  await approveDevice(opts.origin, opts.cookie, user_code);
  const result = await login;
  if (result.exitCode !== 0) throw new Error(`hearth login failed (exit ${result.exitCode}): ${result.stderr}`);
  return { userCode: user_code };
}
