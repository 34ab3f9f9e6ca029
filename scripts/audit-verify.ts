// `npm run audit:verify [-- --local | --remote] [--persist-to DIR]`: read every owner's audit chain from D1 through
// `wrangler d1 execute` and check it (worker/audit/audit-verify.ts). Read-only. One line per owner; exit 1 when any
// chain is broken, 2 when D1 could not be read or the arguments are wrong.
import { execa } from 'execa';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { chainVerifier, type StoredAuditRow } from '../worker/audit/audit-verify.ts';

const root = resolve(import.meta.dirname, '..');
const WRANGLER = join(root, 'node_modules/wrangler/bin/wrangler.js');
/** Rows read per wrangler call. */
const PAGE_ROWS = 2000;

/** Where `npm start` keeps its local D1 (scripts/dev.ts: `$HEARTH_DEV_DIR/state`, default `.hearth-dev/state`). */
const DevDir = z.object({ HEARTH_DEV_DIR: z.string().default('.hearth-dev') });

type Target = { remote: boolean; persistTo: string };

function parseTarget(argv: string[]): Target {
  const { values } = parseArgs({
    args: argv,
    options: { local: { type: 'boolean' }, remote: { type: 'boolean' }, 'persist-to': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.local && values.remote) throw new Error('choose --local or --remote, not both');
  if (values.remote && values['persist-to'] !== undefined) throw new Error('--persist-to is for --local only');
  const persistTo = values['persist-to'] ?? join(root, DevDir.parse(process.env).HEARTH_DEV_DIR, 'state');
  return { remote: values.remote === true, persistTo: resolve(persistTo) };
}

const D1Output = z.array(z.object({ results: z.array(z.unknown()), success: z.boolean() })).min(1);
const UserRow = z.object({ id: z.string(), name: z.string() });
const AuditRow = z.object({
  owner_id: z.string(),
  seq: z.number().int(),
  at: z.number().int(),
  action: z.string(),
  actor: z.string(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  subject: z.string().nullable(),
  detail: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});

/** Run one read-only SQL statement through wrangler; the rows parsed with `row`. Throws with wrangler's output. */
async function query<S extends z.ZodType>(target: Target, sql: string, row: S): Promise<z.infer<S>[]> {
  const where = target.remote ? ['--remote'] : ['--local', '--persist-to', target.persistTo];
  const run = await execa(process.execPath, [WRANGLER, 'd1', 'execute', 'DB', ...where, '--json', '--command', sql], {
    cwd: root,
    reject: false,
    env: { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  if (run.exitCode !== 0) throw new Error(`wrangler d1 execute failed (${run.exitCode}): ${(run.stderr || run.stdout).slice(-2000)}`);
  let json: unknown;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    throw new Error(`wrangler d1 execute printed no JSON: ${run.stdout.slice(0, 500)}`);
  }
  const out = D1Output.parse(json);
  return z.array(row).parse(out[0]?.results ?? []);
}

/** A SQL string literal. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
/** Printable text only, for names that came from the database. */
const printable = (text: string): string => text.replace(/\p{Cc}/gu, '?').slice(0, 80);

const COLUMNS = 'owner_id, seq, at, action, actor, ip, user_agent, subject, detail, prev_hash, hash';

/** Every owner's chain, read in pages ordered by owner and seq, verified as it streams by. */
async function verifyAll(target: Target): Promise<Map<string, ReturnType<typeof chainVerifier>>> {
  const chains = new Map<string, ReturnType<typeof chainVerifier>>();
  for (let after: { owner: string; seq: number } | null = null; ; ) {
    const from: string = after === null ? '' : `WHERE owner_id > ${literal(after.owner)} OR (owner_id = ${literal(after.owner)} AND seq > ${after.seq})`;
    const rows = await query(target, `SELECT ${COLUMNS} FROM audit_log ${from} ORDER BY owner_id, seq LIMIT ${PAGE_ROWS}`, AuditRow);
    for (const r of rows) {
      const verifier = chains.get(r.owner_id) ?? chainVerifier();
      chains.set(r.owner_id, verifier);
      const row: StoredAuditRow = {
        ownerId: r.owner_id, seq: r.seq, at: r.at, action: r.action, actor: r.actor, ip: r.ip, userAgent: r.user_agent,
        subject: r.subject, detail: r.detail, prevHash: r.prev_hash, hash: r.hash,
      };
      await verifier.push([row]);
    }
    const last = rows.at(-1);
    if (rows.length < PAGE_ROWS || !last) return chains;
    after = { owner: last.owner_id, seq: last.seq };
  }
}

async function main(): Promise<number> {
  let target: Target;
  try {
    target = parseTarget(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`audit:verify: ${(err as Error).message}\nusage: npm run audit:verify [-- --local | --remote] [--persist-to DIR]\n`);
    return 2;
  }
  try {
    const users = await query(target, 'SELECT id, name FROM users ORDER BY id', UserRow);
    const chains = await verifyAll(target);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const owners = [...new Set([...names.keys(), ...chains.keys()])].sort();
    let broken = 0;
    for (const ownerId of owners) {
      const result = chains.get(ownerId)?.result() ?? { ok: true as const, entries: 0, head: null };
      const who = `owner ${printable(names.get(ownerId) ?? '(no such user)')} (${printable(ownerId)})`;
      if (result.ok) {
        process.stdout.write(`${who}: ok ${result.entries} entries${result.head === null ? '' : ` head ${result.head}`}\n`);
      } else {
        broken++;
        process.stdout.write(`${who}: BROKEN at seq ${result.brokenAt}: ${result.reason}\n`);
      }
    }
    process.stdout.write(`${owners.length - broken} of ${owners.length} chains verify (${target.remote ? 'remote' : `local ${target.persistTo}`})\n`);
    return broken > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`audit:verify: cannot read the audit log: ${(err as Error).message}\n`);
    return 2;
  }
}

process.exitCode = await main();
