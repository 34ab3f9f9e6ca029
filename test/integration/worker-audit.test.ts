// The audit log against real workerd + real D1: owner actions made through the API leave entries (who, where, what;
// never a secret or a prompt), GET /api/audit pages them per owner with the chain's state, and both that state and
// `npm run audit:verify` (wrangler d1 execute on the test Worker's local D1) catch an edited, a deleted and an inserted entry.
import { hash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalView, AuditPage, FollowUpView, TaskView, auditHashInput, type AuditAction, type AuditEntry } from '../../protocol/index.ts';
import { withD1, type RunningWorker } from '../support/worker.ts';
import { expectProblem } from '../support/worker-http.ts';
import { bearer, capableAgent, signedInOwner, startRecordedWorker, type Agent, type RecordedWorker } from '../support/worker-owners.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MINUTE = 60_000;
const PROMPT_MARKER = `prompt-text-${randomUUID()}`;
const FOLLOW_UP_MARKER = `follow-up-text-${randomUUID()}`;

type StoredRow = {
  owner_id: string; seq: number; at: number; action: string; actor: string; ip: string | null; user_agent: string | null;
  subject: string | null; detail: string; prev_hash: string; hash: string;
};

describe('audit log', () => {
  let world: RecordedWorker;
  let worker: RunningWorker;
  let api: RecordedWorker['api'];
  let alice: string;
  let bob: string;
  let aliceId: string;
  let bobId: string;
  let agent: Agent;
  const ids: Record<string, string> = {};
  let deniedUserCode = '';

  const page = async (cookie: string, query = ''): Promise<AuditPage> => {
    const res = await api.get(`/api/audit${query}`, cookie);
    expect(res.status).toBe(200);
    return AuditPage.parse(await res.json());
  };
  /** Every entry of the cookie's owner, newest first, following nextBefore. */
  const allEntries = async (cookie: string): Promise<AuditEntry[]> => {
    const out: AuditEntry[] = [];
    for (let query = ''; ; ) {
      const p = await page(cookie, query);
      out.push(...p.entries);
      if (p.nextBefore === null) return out;
      query = `?before=${p.nextBefore}`;
    }
  };
  const rowsOf = (ownerId: string) =>
    withD1(worker, (d1) => d1.prepare('SELECT * FROM audit_log WHERE owner_id = ? ORDER BY seq').all(ownerId) as StoredRow[]);
  /** Put `ownerId`'s chain back to `rows` exactly. */
  const restore = (ownerId: string, rows: StoredRow[]) =>
    withD1(worker, (d1) => {
      d1.prepare('DELETE FROM audit_log WHERE owner_id = ?').run(ownerId);
      const insert = d1.prepare(
        'INSERT INTO audit_log (owner_id, seq, at, action, actor, ip, user_agent, subject, detail, prev_hash, hash) VALUES (@owner_id, @seq, @at, @action, @actor, @ip, @user_agent, @subject, @detail, @prev_hash, @hash)',
      );
      for (const row of rows) insert.run(row);
    });
  /** `npm run audit:verify` against the test Worker's local D1. */
  const verifyCommand = async () => {
    const run = await execa('npm', ['run', '--silent', 'audit:verify', '--', '--local', '--persist-to', worker.persistDir], { cwd: ROOT, reject: false });
    return { code: run.exitCode, out: run.stdout, err: run.stderr };
  };

  beforeAll(async () => {
    world = await startRecordedWorker();
    ({ worker, api } = world);
    ({ cookie: alice, ownerId: aliceId } = await signedInOwner(worker, 'alice'));
    ({ cookie: bob, ownerId: bobId } = await signedInOwner(worker, 'bob'));
    agent = await capableAgent(worker, alice, 'alice-laptop', { workspaces: ['repo'], backends: ['shell', 'claude'], maxConcurrent: 4 });

    // A pairing the owner refuses.
    const code = (await (await api.post('/api/device/code', { client_id: 'hearth-agent', device_name: 'stranger' })).json()) as { user_code: string };
    deniedUserCode = code.user_code;
    expect((await api.post('/api/device/deny', { user_code: code.user_code }, alice)).status).toBe(204);

    // A task with an approval the owner allows, auto-allow, then a cancel.
    const created = await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: `echo ${PROMPT_MARKER}` }, alice);
    expect(created.status).toBe(201);
    ids.task = TaskView.parse(await created.json()).id;
    expect((await api.post(`/api/agent/tasks/${ids.task}/claim`, undefined, bearer(agent))).status).toBe(200);
    const command = `rm -rf ${PROMPT_MARKER}`;
    const approval = {
      id: randomUUID(),
      inputHash: hash('sha256', command),
      deadlineMs: 30 * MINUTE,
      request: { tool: 'Bash', summary: command, detail: command, cwd: '/home/me/repo', source: 'hook' },
    };
    expect((await api.post(`/api/agent/tasks/${ids.task}/approvals`, approval, bearer(agent))).status).toBe(201);
    ids.approval = approval.id;
    const decided = await api.post(`/api/approvals/${approval.id}/decision`, { decision: 'allow', inputHash: approval.inputHash }, alice);
    expect(ApprovalView.parse(await decided.json()).status).toBe('allowed');
    expect((await api.post(`/api/tasks/${ids.task}/auto-allow`, { minutes: 15 }, alice)).status).toBe(200);
    expect((await api.post(`/api/tasks/${ids.task}/cancel`, undefined, alice)).status).toBe(200);

    // A kept-open task: a follow-up, then the phone closes the window.
    const second = await api.post('/api/tasks', { workspace: 'repo', backend: 'claude', prompt: PROMPT_MARKER }, alice);
    ids.open = TaskView.parse(await second.json()).id;
    expect((await api.post(`/api/agent/tasks/${ids.open}/claim`, undefined, bearer(agent))).status).toBe(200);
    const finish = { status: 'succeeded', exitCode: null, error: null, finalScreen: ['> done'], keepOpenMs: 10 * MINUTE };
    expect((await api.post(`/api/agent/tasks/${ids.open}/finish`, finish, bearer(agent))).status).toBe(200);
    const sent = await api.post(`/api/tasks/${ids.open}/follow-ups`, { id: randomUUID(), text: FOLLOW_UP_MARKER }, alice);
    expect(sent.status).toBe(201);
    ids.followUp = FollowUpView.parse(await sent.json()).id;
    expect((await api.post(`/api/agent/follow-ups/${ids.followUp}/deliver`, undefined, bearer(agent))).status).toBe(200);
    expect((await api.post(`/api/agent/tasks/${ids.open}/finish`, finish, bearer(agent))).status).toBe(200);
    expect((await api.post(`/api/tasks/${ids.open}/close`, undefined, alice)).status).toBe(200);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("records each owner action with who, where and what, newest first, and never a secret or a prompt's text", async () => {
    const entries = await allEntries(alice);
    const sessionActor = entries.find((e) => e.action === 'task-submitted')!.actor;
    expect(sessionActor).toMatch(/^session:[0-9a-f-]{36}$/);
    const owned = (action: AuditAction, subject: string) => ({ action, subject, actor: sessionActor, ownerId: aliceId, ip: '127.0.0.1' });
    expect(entries.slice(-3).map((e) => e.action)).toEqual(['sign-in', 'passkey-registered', 'setup-link-created']);
    const mine = entries.slice(0, -3).reverse();
    expect(mine.map((e) => e.action)).toEqual([
      'pairing-approved', 'device-paired', 'pairing-denied',
      'task-submitted', 'approval-decided', 'auto-allow-set', 'task-cancelled',
      'task-submitted', 'follow-up-sent', 'task-closed',
    ]);
    expect(mine[1]).toMatchObject({ action: 'device-paired', actor: `device:${agent.deviceId}`, subject: agent.deviceId, detail: { name: 'alice-laptop' } });
    expect(mine[2]).toMatchObject({ ...owned('pairing-denied', mine[2]!.subject!), detail: { deviceName: 'stranger' } });
    expect(mine[3]).toMatchObject({ ...owned('task-submitted', ids.task!), detail: { workspace: 'repo', backend: 'shell' } });
    expect(mine[4]).toMatchObject({ ...owned('approval-decided', ids.approval!), detail: { decision: 'allowed', approvalId: ids.approval, taskId: ids.task } });
    expect(mine[5]).toMatchObject({ ...owned('auto-allow-set', ids.task!), detail: { minutes: 15 } });
    expect(mine[6]).toMatchObject(owned('task-cancelled', ids.task!));
    expect(mine[8]).toMatchObject({ ...owned('follow-up-sent', ids.open!), detail: { followUpId: ids.followUp } });
    expect(mine[9]).toMatchObject(owned('task-closed', ids.open!));
    for (const e of entries) expect(e.userAgent).not.toBeNull();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => entries.length - i));

    const text = JSON.stringify(entries);
    for (const secret of [PROMPT_MARKER, FOLLOW_UP_MARKER, deniedUserCode, deniedUserCode.replace('-', ''), agent.token, alice.split('=')[1]!]) {
      expect(text).not.toContain(secret);
    }
  });

  it("shows each owner only their own chain, and says whether it verifies", async () => {
    const bobs = await page(bob);
    expect(bobs.entries.length).toBeGreaterThan(0);
    expect(new Set(bobs.entries.map((e) => e.ownerId))).toEqual(new Set([bobId]));
    expect(bobs.chain).toEqual({ ok: true, entries: bobs.entries.length, head: bobs.entries[0]!.hash });
    const alices = await page(alice);
    expect(alices.entries.every((e) => e.ownerId === aliceId)).toBe(true);
    expect(alices.chain).toMatchObject({ ok: true, head: alices.entries[0]!.hash });
    await expectProblem(await api.get('/api/audit'), 401, 'unauthenticated');
    for (const bad of ['?before=0', '?before=x', '?before=1.5', '?after=3']) await expectProblem(await api.get(`/api/audit${bad}`, alice), 400, 'invalid-request');
  });

  it('pages newest first, at most 100 an answer, with the chain state on the first page only', async () => {
    const running = await api.post('/api/tasks', { workspace: 'repo', backend: 'shell', prompt: 'sleep 1' }, alice);
    const taskId = TaskView.parse(await running.json()).id;
    expect((await api.post(`/api/agent/tasks/${taskId}/claim`, undefined, bearer(agent))).status).toBe(200);
    for (let i = 0; i < 105; i++) expect((await api.post(`/api/tasks/${taskId}/auto-allow`, { minutes: i % 10 }, alice)).status).toBe(200);
    const first = await page(alice);
    const total = first.entries[0]!.seq;
    expect(total).toBeGreaterThan(110);
    expect(first.entries).toHaveLength(100);
    expect(first.nextBefore).toBe(total - 99);
    expect(first.chain).toEqual({ ok: true, entries: total, head: first.entries[0]!.hash });
    const second = await page(alice, `?before=${first.nextBefore}`);
    expect(second.chain).toBeUndefined();
    expect(second.entries[0]!.seq).toBe(total - 100);
    expect(second.entries.at(-1)!.seq).toBe(Math.max(1, total - 199));
    const last = await page(alice, '?before=2');
    expect(last.entries.map((e) => e.seq)).toEqual([1]);
    expect(last.nextBefore).toBeNull();
  });

  it('npm run audit:verify and the chain state catch an edited, a deleted and an inserted entry, naming the seq', async () => {
    const clean = await verifyCommand();
    const aliceHead = (await page(alice)).chain;
    expect(aliceHead?.ok).toBe(true);
    expect({ code: clean.code, err: clean.err.includes('cannot read') }).toEqual({ code: 0, err: false });
    expect(clean.out).toContain(`owner alice (${aliceId}): ok ${aliceHead?.ok ? aliceHead.entries : -1} entries head ${aliceHead?.ok ? aliceHead.head : ''}`);
    expect(clean.out).toMatch(new RegExp(`owner bob \\(${bobId}\\): ok \\d+ entries head [0-9a-f]{64}`));
    expect(clean.out).toContain('2 of 2 chains verify');

    const original = await rowsOf(aliceId);
    const bobLine = clean.out.split('\n').find((l) => l.startsWith('owner bob'))!;
    const expectBroken = async (seq: number, reason: string) => {
      const run = await verifyCommand();
      expect(run.code).toBe(1);
      expect(run.out).toContain(`owner alice (${aliceId}): BROKEN at seq ${seq}: ${reason}`);
      expect(run.out).toContain(bobLine);
      expect(run.out).toContain('1 of 2 chains verify');
      expect((await page(alice)).chain).toEqual({ ok: false, brokenAt: seq, reason });
      await restore(aliceId, original);
      expect((await page(alice)).chain).toEqual(aliceHead);
    };

    // Edited: a decision turned around after the fact.
    const decided = original.find((r) => r.action === 'approval-decided')!;
    await withD1(worker, (d1) =>
      d1.prepare('UPDATE audit_log SET detail = ? WHERE owner_id = ? AND seq = ?').run(decided.detail.replace('allowed', 'denied'), aliceId, decided.seq),
    );
    await expectBroken(decided.seq, 'the hash does not match the entry');

    // Deleted: the pairing approval disappears.
    const paired = original.find((r) => r.action === 'pairing-approved')!;
    await withD1(worker, (d1) => d1.prepare('DELETE FROM audit_log WHERE owner_id = ? AND seq = ?').run(aliceId, paired.seq));
    await expectBroken(paired.seq, `seq ${paired.seq} is missing (the next entry is seq ${paired.seq + 1})`);

    // Inserted: a forged entry with a correct hash of its own, slipped in after the cancel, later entries renumbered.
    const cancelled = original.find((r) => r.action === 'task-cancelled')!;
    const at = cancelled.seq + 1;
    await withD1(worker, (d1) => {
      d1.prepare('UPDATE audit_log SET seq = -seq WHERE owner_id = ? AND seq >= ?').run(aliceId, at);
      d1.prepare('UPDATE audit_log SET seq = 1 - seq WHERE owner_id = ? AND seq < 0').run(aliceId);
      const forged = { ownerId: aliceId, seq: at, at: cancelled.at + 1, action: 'device-paired' as const, actor: 'device:intruder', ip: null, userAgent: null, subject: 'intruder', detail: {} };
      const forgedHash = hash('sha256', auditHashInput(cancelled.hash, forged));
      d1.prepare('INSERT INTO audit_log (owner_id, seq, at, action, actor, ip, user_agent, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)')
        .run(aliceId, at, forged.at, forged.action, forged.actor, forged.subject, '{}', cancelled.hash, forgedHash);
    });
    await expectBroken(at + 1, `prevHash is not the hash of seq ${at}`);
  });

  it('refuses a wrong command line with exit code 2', async () => {
    const both = await execa('npm', ['run', '--silent', 'audit:verify', '--', '--local', '--remote'], { cwd: ROOT, reject: false });
    expect({ code: both.exitCode, says: both.stderr.includes('choose --local or --remote') }).toEqual({ code: 2, says: true });
  });
});
