// Decides one tool call for a running task: the home policy first, then the owner's auto-allow window, then the
// phone. Fails closed: a deadline, a lost hook, a Worker error or anything unexpected answers deny (rule 7).
import { randomUUID } from 'node:crypto';
import type { ApprovalRequest, ApprovalView } from '../protocol/index.ts';
import { errorLine } from './agent-error.ts';
import { deny, type HookAnswer } from './hook-socket.ts';
import type { Policy, ToolCall } from './policy.ts';
import { decide } from './policy.ts';
import type { WorkerApi } from './worker-api.ts';

export type GateDeps = {
  api: Pick<WorkerApi, 'task' | 'createApproval' | 'approval' | 'withdrawApproval'>;
  policy: Policy;
  now: () => number;
  log: (line: string) => void;
  /** How often to re-read a pending approval when no nudge arrives, in ms (default 5000). */
  pollMs?: number;
  /** Overrides the policy's approval deadline, in ms (tests use seconds, not minutes). */
  deadlineMs?: number;
};

export type GateQuestion = {
  taskId: string;
  workspace: string;
  /** null for a dialog read off the pane (source 'screen'): free text the home policy cannot parse, so it asks. */
  call: ToolCall | null;
  request: ApprovalRequest;
  inputHash: string;
};

/**
 * `ask` resolves with the decision for one tool call; `decided(approvalId)` wakes the matching wait when the room
 * says an approval changed (the gate then re-reads it from the Worker: a nudge alone never allows anything).
 */
export function createApprovalGate(deps: GateDeps) {
  const waiters = new Map<string, () => void>();
  // The first time each auto-allow deadline was seen: the home cap counts from then, not from the phone's clock.
  const autoAllowSeen = new Map<string, { until: number; since: number }>();

  async function autoAllowed(taskId: string): Promise<boolean> {
    const max = deps.policy.maxAutoAllowMinutes * 60_000;
    if (max === 0) return false;
    const until = (await deps.api.task(taskId)).autoAllowUntil ?? null;
    const now = deps.now();
    if (until === null || until <= now) return false;
    let seen = autoAllowSeen.get(taskId);
    if (!seen || seen.until !== until) autoAllowSeen.set(taskId, (seen = { until, since: now }));
    return now < Math.min(until, seen.since + max);
  }

  async function waitForDecision(approval: ApprovalView, signal: AbortSignal): Promise<ApprovalView> {
    let current = approval;
    while (current.status === 'pending') {
      const left = current.deadlineAt - deps.now();
      if (left <= 0 || signal.aborted) return current;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, deps.pollMs ?? 5000));
        signal.addEventListener('abort', done, { once: true });
        waiters.set(current.id, done);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters.delete(current.id);
          resolve();
        }
      });
      if (signal.aborted) return current;
      current = await deps.api.approval(current.id);
    }
    return current;
  }

  async function ask(q: GateQuestion, signal: AbortSignal): Promise<HookAnswer> {
    const verdict = q.call ? decide(deps.policy, q.call, q.workspace) : { verdict: 'ask' as const, reason: 'a dialog on screen' };
    if (verdict.verdict !== 'ask') {
      deps.log(`task ${q.taskId}: ${q.request.tool} ${verdict.verdict === 'allow' ? 'allowed' : 'denied'} by the home policy (${verdict.reason})`);
      return { decision: verdict.verdict, reason: `Hearth home policy: ${verdict.reason}` };
    }
    if (await autoAllowed(q.taskId)) {
      deps.log(`task ${q.taskId}: ${q.request.tool} allowed by the owner's auto-allow window`);
      return { decision: 'allow', reason: 'auto-allowed by the owner for this task' };
    }
    const id = randomUUID();
    const deadlineMs = deps.deadlineMs ?? deps.policy.approvalDeadlineMinutes * 60_000;
    let approval = await deps.api.createApproval(q.taskId, { id, inputHash: q.inputHash, deadlineMs, request: q.request });
    deps.log(`task ${q.taskId}: approval ${id} asked on the phone (${q.request.tool})`);
    try {
      approval = await waitForDecision(approval, signal);
    } finally {
      if (approval.status === 'pending') {
        await deps.api.withdrawApproval(id).catch((e: unknown) => deps.log(`approval ${id}: withdraw failed: ${errorLine(e)}`));
      }
    }
    if (approval.status === 'allowed' && approval.inputHash === q.inputHash) {
      deps.log(`task ${q.taskId}: approval ${id} allowed`);
      return { decision: 'allow', reason: 'allowed from the phone' };
    }
    const why = approval.status === 'pending' ? (signal.aborted ? 'the CLI stopped waiting' : 'no answer before the deadline') : approval.status;
    deps.log(`task ${q.taskId}: approval ${id} ${why}: denied`);
    return deny(approval.status === 'denied' ? 'denied from the phone' : `not allowed: ${why}`);
  }

  return {
    /** Never throws: any failure is a deny. */
    async decide(q: GateQuestion, signal: AbortSignal): Promise<HookAnswer> {
      try {
        return await ask(q, signal);
      } catch (error) {
        deps.log(`task ${q.taskId}: approval failed, denying: ${errorLine(error)}`);
        return deny(`Hearth could not get a decision: ${errorLine(error)}`);
      }
    },
    decided(approvalId: string): void {
      waiters.get(approvalId)?.();
    },
  };
}
