// The AI CLI windows held open after a succeeded turn for a follow-up from the phone (issue 3): the turn's finish
// (keepOpenMs), a close timer at the deadline, the Worker's word on each (nudge, reconnect, slow poll), taking a pending
// follow-up exactly once and handing its task back to the runner, and closing a window cleanly. No heartbeats here.
import type { AgentToRoom, Backend } from '../protocol/index.ts';
import { AgentError, errorLine } from './agent-error.ts';
import type { Launcher } from './backends/backend.ts';
import { quitCli } from './cli-quit.ts';
import { deliverFinish } from './finish-delivery.ts';
import { closeAnswer, deliverAnswer, openTaskAction } from './keep-open.ts';
import type { LocalState, LocalTask } from './local-state.ts';
import { createOnePass } from './one-pass.ts';
import type { PaneStream } from './pane-stream.ts';
import { killTaskProcesses } from './process-tree.ts';
import { markerValue } from './task-launch.ts';
import { teardownTask } from './task-teardown.ts';
import { paneState } from './tmux.ts';
import type { WorkerApi } from './worker-api.ts';

export type OpenWindowsDeps = {
  socket: string;
  stateDir: string;
  api: Pick<WorkerApi, 'finish' | 'close' | 'task' | 'followUps' | 'deliverFollowUp'>;
  state: LocalState;
  stream: Pick<PaneStream, 'track' | 'finish'>;
  launchers: ReadonlyMap<Backend, Launcher>;
  sendToRoom: (message: AgentToRoom) => boolean;
  log: (line: string) => void;
  report: (error: unknown) => void;
  /** Aborted when the agent stops: no new pass or close starts; windows stay open for the next start. */
  signal: AbortSignal;
  /** Hand a task whose follow-up this agent took back to the task runner, which types `text` and runs the turn. */
  resume: (local: LocalTask, text: string) => Promise<void>;
  /** Whether the poll timer may start a pass (the room link is up; a reconnect passes anyway). */
  connected: () => boolean;
  /** Period of the follow-up check while a window is held open, in ms (0 disables it). */
  pollMs: number;
};

type Held = { local: LocalTask; timer: NodeJS.Timeout | null; closing: Promise<void> | null; closeFailures: number };

/** After a 409 on close (a follow-up reopened the task) the window is looked at again this much later, in ms. */
const RECHECK_MS = 60_000;

export type OpenWindows = ReturnType<typeof createOpenWindows>;

export function createOpenWindows(deps: OpenWindowsDeps) {
  const held = new Map<string, Held>();

  /** (Re)arm the close timer of a window still held here. */
  function arm(h: Held, delayMs: number): void {
    if (held.get(h.local.taskId) !== h || deps.signal.aborted) return;
    if (h.timer) clearTimeout(h.timer);
    h.timer = setTimeout(() => {
      h.timer = null;
      close(h.local.taskId, 'its open time is over').catch(deps.report);
    }, Math.max(0, delayMs));
  }

  /** Quit the CLI (its quit command, ≤ 5 s), kill its process tree, end its stream, close the window, forget it. */
  async function shut(h: Held, why: string): Promise<void> {
    const { local } = h;
    const quit = deps.launchers.get(local.backend)?.quit;
    if (quit && !(await quitCli(deps.socket, local.paneId, quit, deps.report))) {
      deps.log(`task ${local.taskId}: ${local.backend} did not quit on ${quit}; killing it`);
    }
    const left = await killTaskProcesses({ rootPid: local.panePid, marker: { value: markerValue(deps.socket, local.taskId) } });
    if (left.length > 0) deps.log(`task ${local.taskId}: ${left.length} process(es) survived SIGKILL`);
    await deps.stream.finish(local.taskId);
    await teardownTask(deps, local);
    held.delete(local.taskId);
    deps.log(`task ${local.taskId}: window closed (${why})`);
  }

  /** A 409 on close: a follow-up reopened the task, unless the Worker says it ended some other way. */
  async function reopened(h: Held): Promise<boolean> {
    const taskId = h.local.taskId;
    const view = await deps.api.task(taskId).catch((error: unknown) => {
      deps.report(error);
      return null;
    });
    if (view && openTaskAction(view, Date.now()) === 'forget') {
      await shut(h, `the Worker reports it ${view.status}`);
      return false;
    }
    deps.log(`task ${taskId}: a follow-up reopened it before its window closed; keeping the window`);
    arm(h, RECHECK_MS);
    return true;
  }

  /**
   * Close a held window once, whichever path asked: POST close first (`askWorker`), then quit and tear down on 200
   * or 404; keep it on 409 (a follow-up won: pick it up); on other errors retry later with backoff (≤ 60 s).
   */
  function close(taskId: string, why: string, askWorker = true): Promise<void> {
    const h = held.get(taskId);
    if (!h || deps.signal.aborted) return Promise.resolve();
    if (h.closing) return h.closing;
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
    let pickUp = false;
    h.closing = (async () => {
      let error: unknown = null;
      if (askWorker) await deps.api.close(taskId).catch((e: unknown) => (error = e));
      if (held.get(taskId) !== h) return; // handed back to the runner meanwhile
      const answer = closeAnswer(error);
      if (answer === 'closed' || answer === 'not-held') return shut(h, why);
      if (answer === 'reopened') {
        pickUp = await reopened(h);
        return;
      }
      h.closeFailures += 1;
      const delay = Math.min(60_000, 1_000 * 2 ** h.closeFailures);
      deps.log(`task ${taskId}: cannot close its window at the Worker (${errorLine(error)}); retrying in ${delay / 1000}s`);
      arm(h, delay);
    })().finally(() => {
      h.closing = null;
      if (pickUp) request();
    });
    return h.closing;
  }

  /** One pass: take each pending follow-up of a window held here (exactly once) and hand its task to the runner. */
  async function pass(): Promise<void> {
    if (held.size === 0) return;
    for (const followUp of await deps.api.followUps()) {
      const h = held.get(followUp.taskId);
      if (deps.signal.aborted) return;
      if (!h || h.closing) continue; // not held here (left alone), or being closed (a 409 there asks again)
      let error: unknown = null;
      await deps.api.deliverFollowUp(followUp.id).catch((e: unknown) => (error = e));
      const answer = deliverAnswer(error);
      if (answer === 'retry') deps.report(error);
      if (answer === 'skip') deps.log(`task ${followUp.taskId}: follow-up ${followUp.id} already taken; not typing it`);
      if (answer !== 'type' || held.get(followUp.taskId) !== h) continue;
      held.delete(followUp.taskId);
      if (h.timer) clearTimeout(h.timer);
      h.timer = null;
      deps.log(`task ${followUp.taskId}: follow-up ${followUp.id} taken; typing it into window ${h.local.windowId}`);
      await deps.resume(h.local, followUp.text).catch(deps.report);
    }
  }

  /** Look for follow-ups now (or right after the pass in flight). */
  const passes = createOnePass(pass, deps.signal, deps.report);
  const request = passes.request;

  /** Ask the Worker about one held window and act on it (openTaskAction). */
  async function check(taskId: string): Promise<void> {
    const h = held.get(taskId);
    if (!h || h.closing) return;
    let view;
    try {
      view = await deps.api.task(taskId);
    } catch (error) {
      if (error instanceof AgentError && error.status === 404) return close(taskId, 'the Worker no longer knows it');
      throw error;
    }
    if (held.get(taskId) !== h) return;
    const action = openTaskAction(view, Date.now());
    if (action === 'pick-up') request();
    else if (action === 'close') await close(taskId, view.openUntil == null ? 'closed by the owner' : 'its open time is over');
    else if (action === 'forget') await close(taskId, `the Worker reports it ${view.status}`, false);
  }

  /**
   * Hold `local` (status open) open: deliver its turn's finish while one is pending (then openUntil counts from
   * when it landed), and arm the close timer at openUntil.
   */
  async function hold(local: LocalTask): Promise<void> {
    const h: Held = { local, timer: null, closing: null, closeFailures: 0 };
    held.set(local.taskId, h);
    if (local.finish) {
      const landed = await deliverFinish(deps, local.taskId, local.finish);
      if (!landed || held.get(local.taskId) !== h) return; // stopping (the finish stays stored), or handed back
      const openUntil = Date.now() + (local.finish.keepOpenMs ?? 0);
      h.local = { ...h.local, finish: null, openUntil };
      deps.state.setOpen(local.taskId, openUntil, null);
    }
    arm(h, (h.local.openUntil ?? 0) - Date.now());
  }

  const poll =
    deps.pollMs > 0
      ? setInterval(() => {
          if (held.size > 0 && deps.connected()) request();
        }, deps.pollMs)
      : null;
  poll?.unref();

  return {
    hold,
    has: (taskId: string) => held.has(taskId),

    /** A window found open in local state after a restart: hold it again; a vanished or exited CLI is closed. */
    async adopt(local: LocalTask): Promise<void> {
      const pane = await paneState(deps.socket, local.paneId);
      deps.log(`task ${local.taskId}: its window is held open for a follow-up${pane && !pane.dead ? '' : ' (but its CLI is gone)'}`);
      if (pane) deps.stream.track(local.taskId, local.paneId);
      await hold(local);
      if (!pane || pane.dead) await close(local.taskId, 'its CLI is gone');
    },

    /** The room nudged about a task held here (a follow-up arrived, or the owner closed the window). */
    check,

    /** After a room (re)connect: what changed while the link was down, then pending follow-ups. */
    checkAll(): void {
      for (const taskId of held.keys()) check(taskId).catch(deps.report);
      request();
    },

    /** Look for pending follow-ups (the slow poll also does). */
    request,

    /** tmux says a pane's program exited: a held window whose CLI exited is closed. */
    onPaneDead(paneId: string): void {
      for (const h of held.values()) if (h.local.paneId === paneId) close(h.local.taskId, 'its CLI exited').catch(deps.report);
    },

    /** Stop timers and wait for passes and closes in flight (windows stay open for the next start). */
    async stop(): Promise<void> {
      if (poll) clearInterval(poll);
      for (const h of held.values()) if (h.timer) clearTimeout(h.timer);
      await Promise.all([passes.stop(), ...[...held.values()].map((h) => h.closing)]);
      held.clear();
    },
  };
}
