// `npm run push:keys -- --subject mailto:you@example.com [--out FILE] [--force] [--print]`: make a VAPID key pair
// (RFC 8292) with web-push for the Worker's Web Push, and say how to store it as Worker secrets. The keys go to a
// 0600 file, never to the terminal unless --print asks for them. Exit 2 on bad arguments or an existing file.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import webpush from 'web-push';
import { z } from 'zod';

const root = resolve(import.meta.dirname, '..');
/** Gitignored (.hearth-dev/), so the file cannot be committed by accident. */
const DEFAULT_OUT = resolve(root, '.hearth-dev', 'push-keys.env');

/** RFC 8292 §2.1: a contact for the push service, mailto: or https:. The Worker refuses anything else. */
const Subject = z.string().regex(/^(mailto:[^\s]+|https:\/\/[^\s]+)$/, 'must be a mailto: or https: URL');

type Options = { subject: string; out: string; force: boolean; print: boolean };

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { subject: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, print: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const subject = Subject.safeParse(values.subject);
  if (!subject.success) throw new Error('--subject is required: npm run push:keys -- --subject mailto:you@example.com');
  return { subject: subject.data, out: resolve(values.out ?? DEFAULT_OUT), force: values.force === true, print: values.print === true };
}

/**
 * Put `text` at `path` as a new 0600 file: written to a fresh temporary file beside it (created exclusively, never
 * through a link, mode 0600 from the start), then renamed over `path`. So an existing file there — maybe 0644, maybe
 * a symlink to somewhere else — never holds the key, even for a moment; a symlink is replaced, not followed.
 */
function writePrivateFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600); // whatever the umask
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** `value` as one POSIX shell word. */
const shellQuoted = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const keys = webpush.generateVAPIDKeys();
  const values = { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: opts.subject };
  if (opts.print) {
    process.stderr.write('Warning: VAPID_PRIVATE_KEY below is a secret. Do not paste it anywhere that is logged or shared.\n');
    for (const [name, value] of Object.entries(values)) process.stdout.write(`printf %s ${shellQuoted(value)} | npx wrangler secret put ${name}\n`);
    return;
  }
  if (existsSync(opts.out) && !opts.force) throw new Error(`${opts.out} exists: pass --force to replace it (the old keys stop working)`);
  mkdirSync(dirname(opts.out), { recursive: true, mode: 0o700 });
  writePrivateFile(opts.out, Object.entries(values).map(([name, value]) => `${name}=${value}\n`).join(''));
  const file = relative(process.cwd(), opts.out) || opts.out;
  const lines = [
    `VAPID keys written to ${file} (mode 0600). Store them as Worker secrets:`,
    '',
    ...Object.keys(values).map((name) => `  sed -n 's/^${name}=//p' ${shellQuoted(file)} | npx wrangler secret put ${name}`),
    '',
    `Then keep ${file} somewhere safe or delete it. Replacing the keys later unsubscribes every phone.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`push:keys: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
