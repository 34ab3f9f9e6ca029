// Checking one owner's audit chain (protocol/audit.ts): seq continuity from 1, each prevHash the previous entry's
// hash, each hash recomputed from the entry. Pure apart from SHA-256 (WebCrypto: the Worker and Node tools share it).
import { z } from 'zod';
import { AuditAction, GENESIS_HASH, auditHashInput, type AuditChain } from '../../protocol/index.ts';
import { hashToken } from '../secret-token.ts';

/** An audit_log row as stored: `detail` is its JSON text. */
export type StoredAuditRow = {
  ownerId: string;
  seq: number;
  at: number;
  action: string;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  subject: string | null;
  detail: string;
  prevHash: string;
  hash: string;
};

const Detail = z.record(z.string(), z.unknown());

/** The entry `row` claims to be, for hashing; a string saying why not when its action or detail cannot be one. */
function hashedFields(row: StoredAuditRow) {
  const action = AuditAction.safeParse(row.action);
  if (!action.success) return `unknown action "${row.action.slice(0, 40)}"`;
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail);
  } catch {
    return 'detail is not JSON';
  }
  const parsed = Detail.safeParse(detail);
  if (!parsed.success) return 'detail is not a JSON object';
  const { ownerId, seq, at, actor, ip, userAgent, subject } = row;
  return { ownerId, seq, at, action: action.data, actor, ip, userAgent, subject, detail: parsed.data };
}

/**
 * A verifier fed an owner's rows in pages, oldest first (ORDER BY seq): `push` each page, then `result`. Stops
 * looking at the first break; that break names the seq expected there. Deleting the newest entries leaves a
 * shorter chain that still verifies: compare `head` with one recorded earlier to catch that.
 */
export function chainVerifier() {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let broken: AuditChain | null = null;
  const breakAt = (seq: number, reason: string) => {
    broken = { ok: false, brokenAt: seq, reason };
  };
  return {
    async push(rows: readonly StoredAuditRow[]): Promise<void> {
      for (const row of rows) {
        if (broken) return;
        const seq = expectedSeq;
        if (row.seq !== seq) {
          return breakAt(seq, row.seq > seq ? `seq ${seq} is missing (the next entry is seq ${row.seq})` : `seq ${row.seq} is out of order`);
        }
        if (row.prevHash !== prevHash) {
          return breakAt(seq, seq === 1 ? 'prevHash is not the genesis hash' : `prevHash is not the hash of seq ${seq - 1}`);
        }
        const entry = hashedFields(row);
        if (typeof entry === 'string') return breakAt(seq, entry);
        if ((await hashToken(auditHashInput(prevHash, entry))) !== row.hash) return breakAt(seq, 'the hash does not match the entry');
        prevHash = row.hash;
        expectedSeq++;
      }
    },
    result(): AuditChain {
      return broken ?? { ok: true, entries: expectedSeq - 1, head: expectedSeq === 1 ? null : prevHash };
    },
  };
}

/** Verify one owner's whole chain, `rows` oldest first. */
export async function verifyAuditChain(rows: readonly StoredAuditRow[]): Promise<AuditChain> {
  const verifier = chainVerifier();
  await verifier.push(rows);
  return verifier.result();
}
