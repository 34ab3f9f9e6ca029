// The dev owner's software passkey for `npm start`: kept in a 0600 file in the dev dir, used to sign in (so the
// dev agent's pairing is approved with a freshly verified passkey), registered from a setup link on first run.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { mintSetupLink, registerWithLink, signInWithPasskey } from './passkey-client.ts';
import { SoftCredential, softAuthenticator, type SoftAuthenticator } from './soft-authenticator.ts';

const DevPasskeyFile = z.object({ origin: z.string(), credentials: z.array(SoftCredential) });

function save(file: string, origin: string, authenticator: SoftAuthenticator): void {
  writeFileSync(file, `${JSON.stringify({ origin, credentials: authenticator.save() }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The saved authenticator for `origin`, or null when the file is missing, unreadable or for another origin. */
function load(file: string, origin: string): SoftAuthenticator | null {
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const parsed = DevPasskeyFile.safeParse(json);
  return parsed.success && parsed.data.origin === origin ? softAuthenticator(parsed.data.credentials) : null;
}

/**
 * A session cookie for `owner` at `origin`: signs in with the dev passkey saved in `file`, or — when there is none
 * or the Worker no longer knows it (a wiped D1) — registers a new one through a setup link minted with
 * `setupSecret` and saves it. `log` hears which happened.
 */
export async function devOwnerSession(opts: { origin: string; setupSecret: string; owner: string; file: string; log: (line: string) => void }): Promise<string> {
  const saved = load(opts.file, opts.origin);
  if (saved) {
    try {
      const cookie = await signInWithPasskey(opts.origin, saved);
      save(opts.file, opts.origin, saved); // the sign count moved
      return cookie;
    } catch (error) {
      opts.log(`the dev passkey did not sign in (${error instanceof Error ? error.message : String(error)}): registering a new one`);
    }
  }
  const authenticator = softAuthenticator();
  const cookie = await registerWithLink(await mintSetupLink(opts.origin, opts.setupSecret, opts.owner), authenticator, 'npm start (dev passkey)');
  save(opts.file, opts.origin, authenticator);
  opts.log(`registered a dev passkey for ${opts.owner} (${opts.file})`);
  return cookie;
}
