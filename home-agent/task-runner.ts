// Runs claimed tasks: prompt file, tmux window, heartbeats, the AI CLI's idle screen, and the one way a task ends
// (exit, idle, cancel, lost): kill its process tree, final capture, deliver the finish (retrying), task-closed, kill the
// window. An AI CLI idle after its turn may instead be handed to open-windows.ts, and comes back here on a follow-up.
import { isTerminal, type AgentToRoom, type Backend, type FinishRequest, type TaskView } from '../protocol/index.ts';
import { AgentError, errorLine } from './agent-error.ts';
import { promptWithAttachments, receiveAttachments, shellAttachmentPaths } from './attachments.ts';
import type { Launcher } from './backends/backend.ts';
import { ENTER_AFTER_PASTE_MS } from './cli-quit.ts';
import type { Workspace } from './config.ts';
import { deliverFinish } from './finish-delivery.ts';
import type { LocalState, LocalTask } from './local-state.ts';
import type { PaneStream } from './pane-stream.ts';
import { killTaskProcesses } from './process-tree.ts';
import { admitTask } from './task-admission.ts';
import { captureScreen } from './pane-capture.ts';
import { launchTask, markerValue, newHookToken } from './task-launch.ts';
import { exitOutcome, finalRows, idleOutcome, type Outcome } from './task-outcome.ts';
import { teardownTask } from './task-teardown.ts';
import { paneState, typeText } from './tmux.ts';
import { IDLE_STABLE_MS, newTurnWatch, observe, turnDone, type TurnWatch } from './turn-watch.ts';
import type { WorkerApi } from './worker-api.ts';

export type TaskRunnerDeps = {
  socket: string;
  stateDir: string;
  workspaces: readonly Workspace[];
  launchers: ReadonlyMap<Backend, Launcher>;
  api: WorkerApi;
  state: LocalState;
  stream: PaneStream;
  sendToRoom: (message: AgentToRoom) => boolean;
  log: (line: string) => void;
  report: (error: unknown) => void;
  /** Heartbeat period per task, in ms (LEASE_MS / 3 in production). */
  heartbeatMs: number;
  /** Aborted when the agent stops: retries give up, windows keep running for the next start. */
  signal: AbortSignal;
  /** A task ended: there may be room for a queued one. */
  onSlotFree: () => void;
  /** A task started ending (whichever path noticed): watchers of its screen let go of it. */
  onTaskEnd?: (taskId: string) => void;
  /** The agent's hook socket and the approval deadline (ms) the CLIs' hook timeouts are set from. */
  hooks: { socketPath: string; deadlineMs: number; env?: Record<string, string>; enabled?: boolean };
  /** How long an AI CLI's idle screen must last before its task ends, in ms (default IDLE_STABLE_MS). */
  idleStableMs?: number;
  /** FinishRequest.keepOpenMs for an AI CLI's succeeded turn (keep-open.ts keepOpenMs); 0 quits the CLI at once. */
  keepOpenMs: number;
  /** Hold a task (local status open, its turn's finish pending) open for a follow-up: open-windows.ts hold. */
  holdOpen: (local: LocalTask) => Promise<void>;
};

type Running = {
  local: LocalTask;
  heartbeat: NodeJS.Timeout | null;
  ending: Promise<void> | null;
  /** AI CLIs: what the screen said about the turn so far, and the pending idle re-check. */
  watch: TurnWatch;
  idleTimer: NodeJS.Timeout | null;
  /** Hook requests being decided right now: the task is not done while one waits. */
  hooksInFlight: number;
};

export type TaskRunner = ReturnType<typeof createTaskRunner>;

/** A task that failed here for a reason the agent tells the owner (`message`). */
const failed = (message: string): Outcome => ({ status: 'failed', exitCode: null, error: { code: 'internal', message } });

export function createTaskRunner(deps: TaskRunnerDeps) {
  const running = new Map<string, Running>();
  const stableMs = deps.idleStableMs ?? IDLE_STABLE_MS;
  const entryOf = (local: LocalTask, watch = newTurnWatch()): Running => ({
    local, heartbeat: null, ending: null, watch, idleTimer: null, hooksInFlight: 0,
  });

  function startHeartbeat(entry: Running): void {
    entry.heartbeat = setInterval(() => {
      heartbeat(entry.local.taskId).catch(deps.report);
    }, deps.heartbeatMs);
  }

  /** Renew the lease; end the task when the Worker says it is cancelled or otherwise over. */
  async function heartbeat(taskId: string): Promise<void> {
    const entry = running.get(taskId);
    if (!entry || entry.ending) return;
    let reply;
    try {
      reply = await deps.api.heartbeat(taskId);
    } catch (error) {
      if (!(error instanceof AgentError && (error.status === 404 || error.status === 409))) throw error;
      deps.log(`task ${taskId}: the Worker no longer leases it to us (${error.code}); stopping it here`);
      return end(taskId, { status: 'failed', exitCode: null, error: { code: error.code, message: 'lease lost' } });
    }
    if (running.get(taskId) !== entry || entry.ending) return; // ended, held open or resumed meanwhile
    if (reply.status === 'cancelled') {
      deps.log(`task ${taskId}: cancelled by the owner`);
      await end(taskId, { status: 'cancelled', exitCode: null, error: null });
    } else if (isTerminal(reply.status)) {
      deps.log(`task ${taskId}: the Worker reports it ${reply.status}; stopping it here`);
      await end(taskId, { status: 'failed', exitCode: null, error: null });
    }
  }

  /** Deliver the stored finish, then close the room stream, the window and local state. */
  async function settle(local: LocalTask, finish: FinishRequest): Promise<void> {
    if (!(await deliverFinish(deps, local.taskId, finish))) return;
    await teardownTask(deps, local);
    running.delete(local.taskId);
    deps.log(`task ${local.taskId}: finished ${finish.status}${finish.exitCode === null ? '' : ` (exit ${finish.exitCode})`}`);
    deps.onSlotFree();
  }

  /** Stop an entry's heartbeat and idle re-check; watchers of its screen let go of it. */
  function quiet(taskId: string, entry: Running): void {
    if (entry.heartbeat) clearInterval(entry.heartbeat);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.heartbeat = null;
    entry.idleTimer = null;
    deps.onTaskEnd?.(taskId);
  }

  /** End a task once, whichever path noticed first. */
  function end(taskId: string, outcome: Outcome | ((local: LocalTask) => Promise<Outcome>)): Promise<void> {
    const entry = running.get(taskId);
    if (!entry) return Promise.resolve();
    if (entry.ending) return entry.ending;
    quiet(taskId, entry);
    entry.ending = (async () => {
      const { local } = entry;
      const { finalScreen, ...decided } = typeof outcome === 'function' ? await outcome(local) : outcome;
      const left = await killTaskProcesses({ rootPid: local.panePid, marker: { value: markerValue(deps.socket, taskId) } });
      if (left.length > 0) deps.log(`task ${taskId}: ${left.length} process(es) survived SIGKILL`);
      const captured = await deps.stream.finish(taskId);
      const finish: FinishRequest = { ...decided, finalScreen: finalRows(finalScreen ?? captured) };
      deps.state.setFinishing(taskId, finish);
      await settle(local, finish);
    })();
    return entry.ending;
  }

  /**
   * The CLI's turn is over and its window stays open for a follow-up: its idle screen is the turn's final screen, the
   * finish (keepOpenMs) is stored with status open, and the task leaves this runner (no lease, no concurrency slot).
   */
  function holdOpen(taskId: string, entry: Running): Promise<void> {
    quiet(taskId, entry);
    entry.ending = (async () => {
      const rows = (await captureScreen(deps.socket, entry.local.paneId))?.rows ?? [];
      const finish: FinishRequest = { status: 'succeeded', exitCode: null, error: null, finalScreen: finalRows(rows), keepOpenMs: deps.keepOpenMs };
      const local: LocalTask = { ...entry.local, status: 'open', finish, openUntil: Date.now() + deps.keepOpenMs };
      deps.state.setOpen(taskId, local.openUntil ?? 0, finish);
      running.delete(taskId);
      deps.log(`task ${taskId}: the CLI is idle after its turn; keeping its window open ${Math.round(deps.keepOpenMs / 1000)}s for a follow-up`);
      deps.onSlotFree();
      await deps.holdOpen(local);
    })();
    return entry.ending;
  }

  /** Re-read the screen `stableMs` after it first looked idle; end the task if it still does. */
  function scheduleIdleCheck(taskId: string, entry: Running): void {
    if (entry.idleTimer || entry.ending) return;
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null;
      checkIdle(taskId, entry).catch(deps.report);
    }, stableMs);
  }

  async function checkIdle(taskId: string, entry: Running): Promise<void> {
    const reader = deps.launchers.get(entry.local.backend)?.screen;
    if (!reader || entry.ending || running.get(taskId) !== entry) return;
    const screen = await captureScreen(deps.socket, entry.local.paneId);
    if (!screen) return;
    entry.watch = observe(entry.watch, reader(screen.rows), Date.now());
    if (entry.hooksInFlight > 0 || entry.watch.idleSince === null) return;
    if (!turnDone(entry.watch, Date.now(), stableMs)) return scheduleIdleCheck(taskId, entry);
    if (deps.keepOpenMs > 0 && deps.launchers.get(entry.local.backend)?.quit !== undefined) return holdOpen(taskId, entry);
    deps.log(`task ${taskId}: the CLI is idle after its turn; ending the task`);
    await end(taskId, (local) => idleOutcome(deps, local));
  }

  async function refuse(task: TaskView, error: FinishRequest['error']): Promise<void> {
    deps.log(`task ${task.id}: refused (${error?.code})`);
    await deliverFinish(deps, task.id, { status: 'failed', exitCode: null, error, finalScreen: [] });
  }

  return {
    count: () => running.size,
    has: (taskId: string) => running.has(taskId),

    /** Run a task this agent just claimed, or finish it failed when it must not run here. */
    async start(task: TaskView): Promise<void> {
      const admission = admitTask(task, deps.workspaces, deps.launchers);
      if (!admission.ok) return refuse(task, admission.error);
      // Its images first: a task never runs without the images it was given.
      let images;
      try {
        images = await receiveAttachments({ api: deps.api, log: deps.log }, task, admission.workspace.path);
      } catch (error) {
        const [code, why] = error instanceof AgentError ? [error.code, error.message] : ['internal', errorLine(error)];
        return refuse(task, { code, message: `could not receive the attached images: ${why}` });
      }
      let launched;
      const hookToken = newHookToken();
      try {
        const prompt = promptWithAttachments(task.prompt, task.backend, images);
        const attachmentPaths = shellAttachmentPaths(task.backend, images);
        launched = await launchTask(deps.socket, deps.stateDir, { ...task, prompt, attachmentPaths }, admission, { ...deps.hooks, token: hookToken });
      } catch (error) {
        return refuse(task, { code: 'internal', message: `could not start the task: ${errorLine(error)}` });
      }
      const { promptFile, ...window } = launched;
      const local = { taskId: task.id, ...window, workspace: task.workspace, backend: task.backend, promptFile, startedAt: Date.now(), hookToken };
      deps.state.addTask(local);
      const entry = entryOf({ ...local, status: 'running', finish: null, openUntil: null });
      running.set(task.id, entry);
      deps.log(`task ${task.id}: started (${task.backend} in ${task.workspace}, window ${window.windowId})`);
      deps.stream.track(task.id, window.paneId);
      startHeartbeat(entry);
      // The program may already have ended before the control client saw its pane.
      const pane = await paneState(deps.socket, window.paneId);
      if (pane?.dead) await end(task.id, (local) => exitOutcome(deps.socket, local));
    },

    /** Carry on with a task found in local state after a restart (DESIGN.md rule 11). */
    async adopt(local: LocalTask): Promise<void> {
      // A CLI found idle after a restart has finished its turn: its start screen is long gone.
      const entry = entryOf(local, { sawWorking: true, idleSince: null });
      running.set(local.taskId, entry);
      if (local.status === 'finishing' && local.finish) {
        entry.ending = settle(local, local.finish);
        return entry.ending;
      }
      const pane = await paneState(deps.socket, local.paneId);
      if (!pane) {
        deps.log(`task ${local.taskId}: its tmux window is gone; finishing it as failed`);
        return end(local.taskId, failed("the task's tmux window disappeared while the home agent was stopped"));
      }
      deps.log(`task ${local.taskId}: resumed (window ${local.windowId})`);
      deps.stream.track(local.taskId, local.paneId);
      if (pane.dead) return end(local.taskId, (l) => exitOutcome(deps.socket, l));
      startHeartbeat(entry);
      await heartbeat(local.taskId);
    },

    /**
     * A follow-up was taken for a task held open (open-windows.ts): it runs here again (heartbeats, a slot, a fresh
     * turn watch that must see the CLI working before idle counts) and `text` is typed into its window. A window
     * that is gone ends the task failed.
     */
    async resume(held: LocalTask, text: string): Promise<void> {
      const local: LocalTask = { ...held, status: 'running', finish: null, openUntil: null };
      deps.state.setRunning(local.taskId);
      const entry = entryOf(local);
      running.set(local.taskId, entry);
      startHeartbeat(entry);
      const pane = await paneState(deps.socket, local.paneId);
      if (!pane || pane.dead) {
        deps.log(`task ${local.taskId}: its window is gone; the follow-up cannot be typed`);
        return end(local.taskId, failed("the task's CLI window closed before the follow-up could be typed"));
      }
      deps.stream.track(local.taskId, local.paneId);
      try {
        await typeText(deps.socket, local.paneId, text, ENTER_AFTER_PASTE_MS);
      } catch (error) {
        return end(local.taskId, failed(`could not type the follow-up: ${errorLine(error)}`));
      }
      deps.log(`task ${local.taskId}: follow-up typed; running again`);
      await heartbeat(local.taskId);
    },

    /** tmux says a pane's program exited. */
    onPaneDead(paneId: string): void {
      for (const entry of running.values()) {
        if (entry.local.paneId === paneId) end(entry.local.taskId, (local) => exitOutcome(deps.socket, local)).catch(deps.report);
      }
    },

    /** A fresh capture of a task's screen (pane-stream.ts): an AI CLI idle after working ends its task. */
    onScreen(taskId: string, rows: readonly string[]): void {
      const entry = running.get(taskId);
      const reader = entry && deps.launchers.get(entry.local.backend)?.screen;
      if (!entry || !reader || entry.ending) return;
      entry.watch = observe(entry.watch, reader(rows), Date.now());
      if (entry.watch.idleSince !== null) scheduleIdleCheck(taskId, entry);
    },

    /** The task a hook request names, if it runs here and is not ending (the hook handler checks its token). */
    hookTarget(taskId: string): LocalTask | undefined {
      const entry = running.get(taskId);
      return entry && !entry.ending && entry.local.status === 'running' ? entry.local : undefined;
    },

    /** A hook request for the task started (+1) or ended (-1): the task is not idle while one is decided. */
    hookInFlight(taskId: string, delta: 1 | -1): void {
      const entry = running.get(taskId);
      if (entry) entry.hooksInFlight = Math.max(0, entry.hooksInFlight + delta);
    },

    /** How many hook requests for the task are being decided right now (0 when it is not running here). */
    hooksInFlight(taskId: string): number {
      return running.get(taskId)?.hooksInFlight ?? 0;
    },

    /** The room nudged: a task was cancelled. Confirm with the Worker (D1 is the truth) before ending it. */
    checkCancelled(taskId: string): Promise<void> {
      return heartbeat(taskId);
    },

    /** Stop heartbeats and wait for endings in flight (they give up retrying once the signal is aborted). */
    async stop(): Promise<void> {
      for (const entry of running.values()) {
        if (entry.heartbeat) clearInterval(entry.heartbeat);
        if (entry.idleTimer) clearTimeout(entry.idleTimer);
      }
      await Promise.all([...running.values()].map((e) => e.ending).filter((p) => p !== null));
      running.clear();
    },
  };
}
