// The audit log's paging: the first page keeps the chain status, "Older" pages append below, and overlapping or
// repeated pages never show an entry twice or out of order.
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '../protocol/index.ts';
import { appendAuditPage, firstAuditPage } from './audit-pages.ts';

const entry = (seq: number): AuditEntry => ({
  ownerId: 'owner',
  seq,
  at: seq * 1000,
  action: 'sign-in',
  actor: 'system',
  ip: null,
  userAgent: null,
  subject: null,
  detail: {},
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
});
const page = (seqs: number[], nextBefore: number | null, chain?: AuditPage['chain']): AuditPage => ({ entries: seqs.map(entry), nextBefore, ...(chain ? { chain } : {}) });
const seqs = (entries: readonly AuditEntry[]) => entries.map((e) => e.seq);

describe('audit pages', () => {
  const chain = { ok: true as const, entries: 250, head: 'b'.repeat(64) };

  it('starts from the first page with its chain status', () => {
    const state = firstAuditPage(page([250, 249, 248], 248, chain));
    expect(seqs(state.entries)).toEqual([250, 249, 248]);
    expect(state).toMatchObject({ nextBefore: 248, chain });
  });

  it('has no chain status when the Worker sent none', () => {
    expect(firstAuditPage(page([1], null)).chain).toBeNull();
  });

  it('appends older pages below and keeps the chain status of the first', () => {
    let state = firstAuditPage(page([6, 5], 5, chain));
    state = appendAuditPage(state, page([4, 3], 3));
    state = appendAuditPage(state, page([2, 1], null));
    expect(seqs(state.entries)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(state.nextBefore).toBeNull();
    expect(state.chain).toEqual(chain);
  });

  it('drops entries already shown or newer than the oldest shown, and repeats within a page', () => {
    const state = appendAuditPage(firstAuditPage(page([6, 5], 5, chain)), page([7, 5, 3, 4, 4], 3));
    expect(seqs(state.entries)).toEqual([6, 5, 4, 3]);
  });

  it('an empty older page only ends the paging', () => {
    const state = appendAuditPage(firstAuditPage(page([2], 2, chain)), page([], null));
    expect(seqs(state.entries)).toEqual([2]);
    expect(state.nextBefore).toBeNull();
  });
});
