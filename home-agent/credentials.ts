// The agent's bearer token on disk: a 0600 JSON file in the 0700 config dir (DESIGN.md rule 10).
// Refuses files or dirs others can read, and never logs or prints the token.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeviceId } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';

export const Credentials = z.strictObject({
  /** The Worker origin the token was issued by; it is sent nowhere else. */
  server: z.url(),
  accessToken: z.string().min(32),
  deviceId: DeviceId,
});
export type Credentials = z.infer<typeof Credentials>;

export const credentialsPath = (configDir: string): string => join(configDir, 'token.json');

/**
 * Create the config dir (0700) if missing; throw `insecure-permissions` if it exists with any group/other bits.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if (mode !== 0o700) {
    throw new AgentError('insecure-permissions', `${dir} must be private (mode ${octal(mode)}): run chmod 700 ${dir}`);
  }
}

/**
 * Read the credentials, or undefined when not paired yet. Throws `insecure-permissions` when the dir is not
 * 0700 or the file is readable by group/others, and `config-invalid` when the file is malformed.
 */
export function readCredentials(configDir: string): Credentials | undefined {
  const file = credentialsPath(configDir);
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const dirMode = statSync(configDir).mode & 0o777;
  if (dirMode !== 0o700) {
    throw new AgentError(
      'insecure-permissions',
      `${configDir} must be private (mode ${octal(dirMode)}): run chmod 700 ${configDir}`,
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new AgentError(
      'insecure-permissions',
      `${file} is readable by others (mode ${octal(mode)}): run chmod 600 ${file}, and consider pairing again`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AgentError('config-invalid', `${file} is not valid JSON: run hearth login again`, { cause: error });
  }
  const parsed = Credentials.safeParse(json);
  if (!parsed.success) throw new AgentError('config-invalid', `${file} is malformed: run hearth login again`);
  return parsed.data;
}

/** Write the credentials atomically as a 0600 file (temp file + rename) inside the private config dir. */
export function writeCredentials(configDir: string, credentials: Credentials): void {
  ensurePrivateDir(configDir);
  const file = credentialsPath(configDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

const octal = (mode: number): string => `0${mode.toString(8)}`;
