// The audit log as the phone has loaded it so far: the first page (with the chain's status) and each "Older" page
// after it. Pure: pages in, state out; entries stay newest first and a seq is never shown twice.
import type { AuditChain, AuditEntry, AuditPage } from '../protocol/index.ts';

export type AuditPages = {
  /** Newest first, strictly decreasing seq. */
  entries: readonly AuditEntry[];
  /** The `before` for the next "Older" page, or null when the oldest entry is shown. */
  nextBefore: number | null;
  /** The whole chain's status from the first page (null when the Worker sent none). */
  chain: AuditChain | null;
};

/** State from the first page (GET /api/audit without `before`). */
export function firstAuditPage(page: AuditPage): AuditPages {
  return appendAuditPage({ entries: [], nextBefore: null, chain: page.chain ?? null }, page);
}

/**
 * Add an older page: only entries older than the oldest shown are kept (a page fetched twice, or entries appended
 * meanwhile, change nothing), sorted newest first; `nextBefore` comes from the page; the chain status stays.
 */
export function appendAuditPage(state: AuditPages, page: AuditPage): AuditPages {
  const oldest = state.entries.at(-1)?.seq ?? Number.POSITIVE_INFINITY;
  const older = page.entries.filter((e) => e.seq < oldest).sort((a, b) => b.seq - a.seq);
  const unique = older.filter((e, i) => i === 0 || older[i - 1]?.seq !== e.seq);
  return { entries: [...state.entries, ...unique], nextBefore: page.nextBefore, chain: state.chain };
}
