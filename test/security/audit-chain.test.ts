// Security suite, the audit chain: three owners' logs tampered with directly in D1 — an entry edited, one deleted, a
// forged one inserted (with a correct hash of its own, later entries renumbered) — and each break is named by seq by
// the chain check itself (worker/audit/audit-verify.ts, in-process), by GET /api/audit and by `npm run audit:verify`;
// an untouched owner's chain still verifies.
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, Me, auditHashInput } from '../../protocol/index.ts';
import { verifyAuditChain, type StoredAuditRow } from '../../worker/audit/audit-verify.ts';
import { repoRoot } from '../support/stack.ts';
import { recordFigure } from '../support/security-figures.ts';
import { openD1, pairAgent, signIn, startWorker, type RunningWorker } from '../support/worker.ts';
import { apiClient } from '../support/worker-http.ts';

type Owner = { name: string; cookie: string; ownerId: string };
type Row = { owner_id: string; seq: number; at: number; action: string; actor: string; ip: string | null; user_agent: string | null; subject: string | null; detail: string; prev_hash: string; hash: string };

let worker: RunningWorker;
let api: ReturnType<typeof apiClient>;
const NAMES = ['edited', 'deleted', 'inserted', 'untouched'] as const;
const signedIn = new Map<string, Owner>();
const owner = (name: (typeof NAMES)[number]): Owner => {
  const o = signedIn.get(name);
  if (!o) throw new Error(`${name} was not signed in`);
  return o;
};

beforeAll(async () => {
  worker = await startWorker();
  api = apiClient(worker.url);
  for (const name of NAMES) {
    const cookie = await signIn(worker.url, worker.setupSecret, `audit-${name}`);
    await pairAgent(worker.url, cookie, `${name}-box`); // pairing-approved, device-paired after the 3 sign-up entries
    signedIn.set(name, { name: `audit-${name}`, cookie, ownerId: Me.parse(await (await api.get('/api/me', cookie)).json()).ownerId });
  }
});
afterAll(async () => {
  await worker?.stop();
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Run `fn` on the Worker's D1, closed afterwards. */
async function onD1<T>(fn: (d1: Awaited<ReturnType<typeof openD1>>) => T): Promise<T> {
  const d1 = await openD1(worker);
  try {
    return fn(d1);
  } finally {
    d1.close();
  }
}

const rowsOf = (ownerId: string): Promise<Row[]> => onD1((d1) => d1.prepare('SELECT * FROM audit_log WHERE owner_id = ? ORDER BY seq').all(ownerId) as Row[]);
const stored = (r: Row): StoredAuditRow => ({ ownerId: r.owner_id, seq: r.seq, at: r.at, action: r.action, actor: r.actor, ip: r.ip, userAgent: r.user_agent, subject: r.subject, detail: r.detail, prevHash: r.prev_hash, hash: r.hash });

describe('audit chain check', () => {
  it('catches an edited, a deleted and an inserted entry, naming the seq, in-process, over the API and from the command', async () => {
    for (const o of signedIn.values()) expect((await rowsOf(o.ownerId)).length).toBe(5);
    await onD1((d1) => {
      // Edited: who paired the agent.
      d1.prepare("UPDATE audit_log SET actor = 'session:someone-else' WHERE owner_id = ? AND seq = 4").run(owner('edited').ownerId);
      // Deleted: the sign-in.
      d1.prepare('DELETE FROM audit_log WHERE owner_id = ? AND seq = 3').run(owner('deleted').ownerId);
    });
    // Inserted: a forged pairing after seq 3, chained to it with a correct hash; seq 4 and 5 become 5 and 6.
    const [, , third] = await rowsOf(owner('inserted').ownerId);
    const forged = { ownerId: owner('inserted').ownerId, seq: 4, at: third!.at + 1, action: 'device-paired' as const, actor: 'device:intruder', ip: null, userAgent: null, subject: 'intruder', detail: {} };
    await onD1((d1) => {
      d1.prepare('UPDATE audit_log SET seq = seq + 100 WHERE owner_id = ? AND seq >= 4').run(forged.ownerId);
      d1.prepare('UPDATE audit_log SET seq = seq - 99 WHERE owner_id = ? AND seq > 100').run(forged.ownerId);
      d1.prepare('INSERT INTO audit_log (owner_id, seq, at, action, actor, ip, user_agent, subject, detail, prev_hash, hash) VALUES (?, 4, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)')
        .run(forged.ownerId, forged.at, forged.action, forged.actor, forged.subject, '{}', third!.hash, sha256(auditHashInput(third!.hash, forged)));
    });

    const expected = {
      edited: { ok: false, brokenAt: 4, reason: 'the hash does not match the entry' },
      deleted: { ok: false, brokenAt: 3, reason: 'seq 3 is missing (the next entry is seq 4)' },
      inserted: { ok: false, brokenAt: 5, reason: 'prevHash is not the hash of seq 4' },
    };
    const command = await execa('npm', ['run', '--silent', 'audit:verify', '--', '--local', '--persist-to', worker.persistDir], { cwd: repoRoot, reject: false });
    const caught: string[] = [];
    for (const name of ['edited', 'deleted', 'inserted'] as const) {
      const [o, chain] = [owner(name), expected[name]];
      const inProcess = await verifyAuditChain((await rowsOf(o.ownerId)).map(stored));
      const overApi = AuditPage.parse(await (await api.get('/api/audit', o.cookie)).json()).chain;
      const line = `owner ${o.name} (${o.ownerId}): BROKEN at seq ${chain.brokenAt}: ${chain.reason}`;
      expect({ inProcess, overApi, command: command.stdout.includes(line) }, name).toEqual({ inProcess: chain, overApi: chain, command: true });
      caught.push(`${name} → seq ${chain.brokenAt}`);
    }
    expect(command.exitCode).toBe(1);
    expect(command.stdout).toContain('1 of 4 chains verify');
    expect(AuditPage.parse(await (await api.get('/api/audit', owner('untouched').cookie)).json()).chain).toMatchObject({ ok: true, entries: 5 });
    recordFigure({
      check: 'audit chain: edited / deleted / inserted entry',
      attempts: 3,
      successes: 3 - caught.length,
      detail: `caught by audit-verify.ts, GET /api/audit and npm run audit:verify: ${caught.join(', ')}`,
    });
  });
});
