import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditHashInput, type AuditAction } from '../../protocol/index.ts';
import { hashToken } from '../secret-token.ts';
import { chainVerifier, verifyAuditChain, type StoredAuditRow } from './audit-verify.ts';

const OWNER = 'owner-1';

/** Hash `row` onto `prevHash` exactly as appendAudit does (detail hashed as an object, stored as JSON text). */
async function sealed(prevHash: string, row: Omit<StoredAuditRow, 'prevHash' | 'hash' | 'detail'> & { detail: Record<string, unknown> }): Promise<StoredAuditRow> {
  const hash = await hashToken(auditHashInput(prevHash, { ...row, action: row.action as AuditAction }));
  return { ...row, detail: JSON.stringify(row.detail), prevHash, hash };
}

/** A valid chain of `n` entries. */
async function chain(n: number): Promise<StoredAuditRow[]> {
  const rows: StoredAuditRow[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const prev = rows.at(-1)?.hash ?? GENESIS_HASH;
    rows.push(
      await sealed(prev, { ownerId: OWNER, seq, at: 1_000 + seq, action: 'task-submitted', actor: 'session:s1', ip: '203.0.113.9', userAgent: 'UA', subject: `task-${seq}`, detail: { backend: 'shell', n: seq } }),
    );
  }
  return rows;
}

describe('verifyAuditChain', () => {
  it('accepts an empty chain and a valid one, giving its length and head', async () => {
    expect(await verifyAuditChain([])).toEqual({ ok: true, entries: 0, head: null });
    const rows = await chain(4);
    expect(await verifyAuditChain(rows)).toEqual({ ok: true, entries: 4, head: rows[3]!.hash });
  });

  it('catches an edited field at its seq (detail, action, actor, time)', async () => {
    const edits: Array<(r: StoredAuditRow) => StoredAuditRow> = [
      (r) => ({ ...r, detail: JSON.stringify({ backend: 'claude', n: 2 }) }),
      (r) => ({ ...r, action: 'task-cancelled' }),
      (r) => ({ ...r, actor: 'session:someone-else' }),
      (r) => ({ ...r, at: r.at + 1 }),
      (r) => ({ ...r, ip: null }),
    ];
    for (const edit of edits) {
      const rows = await chain(4);
      rows[1] = edit(rows[1]!);
      expect(await verifyAuditChain(rows)).toEqual({ ok: false, brokenAt: 2, reason: 'the hash does not match the entry' });
    }
  });

  it('catches an edit whose hash was recomputed: the next entry no longer links to it', async () => {
    const rows = await chain(4);
    rows[1] = await sealed(rows[0]!.hash, { ...rows[1]!, detail: { backend: 'claude' } });
    expect(await verifyAuditChain(rows)).toEqual({ ok: false, brokenAt: 3, reason: 'prevHash is not the hash of seq 2' });
  });

  it('catches a deleted entry: the seq it left empty', async () => {
    const rows = await chain(5);
    rows.splice(2, 1);
    expect(await verifyAuditChain(rows)).toEqual({ ok: false, brokenAt: 3, reason: 'seq 3 is missing (the next entry is seq 4)' });
    const first = (await chain(3)).slice(1);
    expect(await verifyAuditChain(first)).toEqual({ ok: false, brokenAt: 1, reason: 'seq 1 is missing (the next entry is seq 2)' });
  });

  it('catches an entry inserted in the middle (later ones renumbered), even with a correct hash of its own', async () => {
    const rows = await chain(4);
    const forged = await sealed(rows[1]!.hash, { ownerId: OWNER, seq: 3, at: 1_002, action: 'device-paired', actor: 'device:x', ip: null, userAgent: null, subject: 'x', detail: {} });
    const shifted = rows.slice(2).map((r) => ({ ...r, seq: r.seq + 1 }));
    const tampered = [...rows.slice(0, 2), forged, ...shifted];
    expect(await verifyAuditChain(tampered)).toEqual({ ok: false, brokenAt: 4, reason: 'prevHash is not the hash of seq 3' });
  });

  it('catches a duplicate or reordered seq, a wrong genesis, a bad detail and an unknown action', async () => {
    const rows = await chain(3);
    expect(await verifyAuditChain([rows[0]!, rows[0]!, rows[1]!])).toEqual({ ok: false, brokenAt: 2, reason: 'seq 1 is out of order' });
    expect(await verifyAuditChain([{ ...rows[0]!, prevHash: 'f'.repeat(64) }])).toEqual({ ok: false, brokenAt: 1, reason: 'prevHash is not the genesis hash' });
    expect(await verifyAuditChain([{ ...rows[0]!, detail: '{' }])).toEqual({ ok: false, brokenAt: 1, reason: 'detail is not JSON' });
    expect(await verifyAuditChain([{ ...rows[0]!, detail: '[1]' }])).toEqual({ ok: false, brokenAt: 1, reason: 'detail is not a JSON object' });
    expect(await verifyAuditChain([{ ...rows[0]!, action: 'rm -rf' }])).toEqual({ ok: false, brokenAt: 1, reason: 'unknown action "rm -rf"' });
  });

  it('gives the same answer fed in pages, and reports only the first break', async () => {
    const rows = await chain(7);
    const pages = chainVerifier();
    for (let i = 0; i < rows.length; i += 3) await pages.push(rows.slice(i, i + 3));
    expect(pages.result()).toEqual({ ok: true, entries: 7, head: rows[6]!.hash });
    rows[4] = { ...rows[4]!, subject: 'other' };
    rows[6] = { ...rows[6]!, subject: 'other' };
    const broken = chainVerifier();
    for (let i = 0; i < rows.length; i += 3) await broken.push(rows.slice(i, i + 3));
    expect(broken.result()).toEqual({ ok: false, brokenAt: 5, reason: 'the hash does not match the entry' });
  });
});
