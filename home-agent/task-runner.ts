// Runs claimed tasks: prompt file, tmux window, heartbeats, the AI CLI's idle screen, and the one way a task ends
// (exit, idle, cancel, lost): kill its process tree, final capture, deliver the finish (retrying), task-closed, kill the window.
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal, type AgentToRoom, type Backend, type FinishRequest, type TaskView } from '../protocol/index.ts';
import { AgentError, errorLine } from './agent-error.ts';
import type { Launcher } from './backends/backend.ts';
import type { Workspace } from './config.ts';
import type { LocalState, LocalTask } from './local-state.ts';
import type { PaneStream } from './pane-stream.ts';
import { killTaskProcesses } from './process-tree.ts';
import { admitTask } from './task-admission.ts';
import { captureScreen } from './pane-capture.ts';
import { launchTask, markerValue, newHookToken, removeTaskFiles, taskExit } from './task-launch.ts';
import { killWindow, paneState, typeText } from './tmux.ts';
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
};

/** How a task ended; `finalScreen` when it was captured before the ending changed the screen (an idle CLI quit). */
type Outcome = Omit<FinishRequest, 'finalScreen'> & { finalScreen?: string[] };
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

/** How long to wait for a CLI to exit after its quit command, in ms, before its processes are killed. */
const QUIT_WAIT_MS = 5_000;
/** Pause between pasting the quit command and pressing Enter, in ms (Gemini drops an Enter right after a paste). */
const QUIT_ENTER_DELAY_MS = 300;

export type TaskRunner = ReturnType<typeof createTaskRunner>;

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
    if (!running.has(taskId) || running.get(taskId)?.ending) return;
    let reply;
    try {
      reply = await deps.api.heartbeat(taskId);
    } catch (error) {
      if (!(error instanceof AgentError && (error.status === 404 || error.status === 409))) throw error;
      deps.log(`task ${taskId}: the Worker no longer leases it to us (${error.code}); stopping it here`);
      return end(taskId, { status: 'failed', exitCode: null, error: { code: error.code, message: 'lease lost' } });
    }
    if (running.get(taskId)?.ending) return;
    if (reply.status === 'cancelled') {
      deps.log(`task ${taskId}: cancelled by the owner`);
      await end(taskId, { status: 'cancelled', exitCode: null, error: null });
    } else if (isTerminal(reply.status)) {
      deps.log(`task ${taskId}: the Worker reports it ${reply.status}; stopping it here`);
      await end(taskId, { status: 'failed', exitCode: null, error: null });
    }
  }

  /** POST finish until it lands, a 4xx says it never will, or the agent stops. True when delivered or moot. */
  async function deliverFinish(taskId: string, finish: FinishRequest): Promise<boolean> {
    for (let attempt = 0; !deps.signal.aborted; attempt++) {
      try {
        await deps.api.finish(taskId, finish);
        return true;
      } catch (error) {
        if (error instanceof AgentError && error.status !== undefined && error.status < 500) {
          deps.log(`task ${taskId}: finish not applied (${error.code}); treating the task as done`);
          return true;
        }
        const delay = Math.min(30_000, 1_000 * 2 ** attempt);
        deps.log(`task ${taskId}: finish failed (${errorLine(error)}); retrying in ${delay / 1000}s`);
        await sleep(delay, undefined, { signal: deps.signal }).catch(() => undefined);
      }
    }
    return false;
  }

  /** Deliver the stored finish, then close the room stream, the window and local state. */
  async function settle(local: LocalTask, finish: FinishRequest): Promise<void> {
    if (!(await deliverFinish(local.taskId, finish))) return;
    deps.sendToRoom({ type: 'task-closed', taskId: local.taskId });
    await killWindow(deps.socket, local.windowId);
    removeTaskFiles(deps.stateDir, local.taskId, local.promptFile);
    deps.state.removeTask(local.taskId);
    running.delete(local.taskId);
    deps.log(`task ${local.taskId}: finished ${finish.status}${finish.exitCode === null ? '' : ` (exit ${finish.exitCode})`}`);
    deps.onSlotFree();
  }

  /** End a task once, whichever path noticed first. */
  function end(taskId: string, outcome: Outcome | ((local: LocalTask) => Promise<Outcome>)): Promise<void> {
    const entry = running.get(taskId);
    if (!entry) return Promise.resolve();
    if (entry.ending) return entry.ending;
    if (entry.heartbeat) clearInterval(entry.heartbeat);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.heartbeat = null;
    entry.idleTimer = null;
    deps.onTaskEnd?.(taskId);
    entry.ending = (async () => {
      const { local } = entry;
      const { finalScreen, ...decided } = typeof outcome === 'function' ? await outcome(local) : outcome;
      const left = await killTaskProcesses({ rootPid: local.panePid, marker: { value: markerValue(deps.socket, taskId) } });
      if (left.length > 0) deps.log(`task ${taskId}: ${left.length} process(es) survived SIGKILL`);
      const captured = await deps.stream.finish(taskId);
      const rows = finalScreen ?? captured;
      while (rows.length > 0 && rows.at(-1) === '') rows.pop();
      const finish: FinishRequest = { ...decided, finalScreen: rows };
      deps.state.setFinishing(taskId, finish);
      await settle(local, finish);
    })();
    return entry.ending;
  }

  /** How a program that exited ended: tmux's pane_dead_status (0 → succeeded) or pane_dead_signal. */
  async function exitOutcome(local: LocalTask): Promise<Outcome> {
    const exit = await taskExit(deps.socket, local.paneId, local.promptFile);
    if (exit?.status === 0) return { status: 'succeeded', exitCode: 0, error: null };
    if (exit && exit.status !== null) return { status: 'failed', exitCode: exit.status, error: null };
    const how = exit?.signal ? `killed by signal ${exit.signal}` : 'ended without an exit status';
    return { status: 'failed', exitCode: null, error: { code: 'internal', message: `the program was ${how}` } };
  }

  /** The CLI's turn is over: keep its idle screen as the final one, ask it to quit, then the tree is killed. */
  async function idleOutcome(local: LocalTask): Promise<Outcome> {
    const finalScreen = (await captureScreen(deps.socket, local.paneId))?.rows;
    const quit = deps.launchers.get(local.backend as Backend)?.quit;
    if (quit) {
      await typeText(deps.socket, local.paneId, quit, QUIT_ENTER_DELAY_MS).catch(deps.report);
      const deadline = Date.now() + QUIT_WAIT_MS;
      let alive = true;
      while (alive && Date.now() < deadline) {
        alive = (await paneState(deps.socket, local.paneId))?.dead === false;
        if (alive) await sleep(100);
      }
      if (alive) deps.log(`task ${local.taskId}: ${local.backend} did not quit on ${quit}; killing it`);
    }
    return { status: 'succeeded', exitCode: null, error: null, ...(finalScreen ? { finalScreen } : {}) };
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
    const reader = deps.launchers.get(entry.local.backend as Backend)?.screen;
    if (!reader || entry.ending || running.get(taskId) !== entry) return;
    const screen = await captureScreen(deps.socket, entry.local.paneId);
    if (!screen) return;
    entry.watch = observe(entry.watch, reader(screen.rows), Date.now());
    if (entry.hooksInFlight > 0 || entry.watch.idleSince === null) return;
    if (!turnDone(entry.watch, Date.now(), stableMs)) return scheduleIdleCheck(taskId, entry);
    deps.log(`task ${taskId}: the CLI is idle after its turn; ending the task`);
    await end(taskId, idleOutcome);
  }

  async function refuse(task: TaskView, error: FinishRequest['error']): Promise<void> {
    deps.log(`task ${task.id}: refused (${error?.code})`);
    await deliverFinish(task.id, { status: 'failed', exitCode: null, error, finalScreen: [] });
  }

  return {
    count: () => running.size,
    has: (taskId: string) => running.has(taskId),

    /** Run a task this agent just claimed, or finish it failed when it must not run here. */
    async start(task: TaskView): Promise<void> {
      const admission = admitTask(task, deps.workspaces, deps.launchers);
      if (!admission.ok) return refuse(task, admission.error);
      let launched;
      const hookToken = newHookToken();
      try {
        launched = await launchTask(deps.socket, deps.stateDir, task, admission, { ...deps.hooks, token: hookToken });
      } catch (error) {
        return refuse(task, { code: 'internal', message: `could not start the task: ${errorLine(error)}` });
      }
      const { promptFile, ...window } = launched;
      const local = { taskId: task.id, ...window, workspace: task.workspace, backend: task.backend, promptFile, startedAt: Date.now(), hookToken };
      deps.state.addTask(local);
      const entry = entryOf({ ...local, status: 'running', finish: null });
      running.set(task.id, entry);
      deps.log(`task ${task.id}: started (${task.backend} in ${task.workspace}, window ${window.windowId})`);
      deps.stream.track(task.id, window.paneId);
      startHeartbeat(entry);
      // The program may already have ended before the control client saw its pane.
      const pane = await paneState(deps.socket, window.paneId);
      if (pane?.dead) await end(task.id, exitOutcome);
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
        return end(local.taskId, {
          status: 'failed',
          exitCode: null,
          error: { code: 'internal', message: "the task's tmux window disappeared while the home agent was stopped" },
        });
      }
      deps.log(`task ${local.taskId}: resumed (window ${local.windowId})`);
      deps.stream.track(local.taskId, local.paneId);
      if (pane.dead) return end(local.taskId, exitOutcome);
      startHeartbeat(entry);
      await heartbeat(local.taskId);
    },

    /** tmux says a pane's program exited. */
    onPaneDead(paneId: string): void {
      for (const entry of running.values()) {
        if (entry.local.paneId === paneId) end(entry.local.taskId, exitOutcome).catch(deps.report);
      }
    },

    /** A fresh capture of a task's screen (pane-stream.ts): an AI CLI idle after working ends its task. */
    onScreen(taskId: string, rows: readonly string[]): void {
      const entry = running.get(taskId);
      const reader = entry && deps.launchers.get(entry.local.backend as Backend)?.screen;
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
