// The home agent daemon: outbound only. Wires the room link, the tmux control client, the task runner, local state
// and the approval hook socket; claims queued work on every (re)connect, nudge and slow poll (DESIGN.md rules 2, 3, 7, 11),
// and picks up follow-ups for the AI CLI windows it holds open the same ways (issue 3).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LEASE_MS, type RoomTicketResponse, type RoomToAgent } from '../protocol/index.ts';
import { errorLine } from './agent-error.ts';
import { createApprovalGate } from './approval-gate.ts';
import { availableLaunchers } from './backends/available.ts';
import { createClaimLoop } from './claim-loop.ts';
import { DEFAULT_KEEP_OPEN_MINUTES, loadPolicy, type Config } from './config.ts';
import { parseControlLine, SUBSCRIBE_DEAD } from './control-mode.ts';
import { createHookHandler } from './hook-handler.ts';
import { listenHookSocket } from './hook-socket.ts';
import { keepOpenMs } from './keep-open.ts';
import { openLocalState } from './local-state.ts';
import { createOpenWindows } from './open-windows.ts';
import { createPaneStream } from './pane-stream.ts';
import { captureScreen } from './pane-capture.ts';
import { openRoomLink, type RoomLink } from './room-link.ts';
import { createScreenApprovals } from './screen-approvals.ts';
import { hookSocketPath } from './task-launch.ts';
import { createTaskRunner } from './task-runner.ts';
import { attachControl, ensureSession, sendKey, type ControlClient } from './tmux.ts';
import { createWorkerApi, type Fetch } from './worker-api.ts';
import { killAll } from './kill-all.ts';
import { createRevocation, reportingUnauthorized } from './revocation.ts';

export type AgentConfig = Pick<Config, 'configDir' | 'workspaces' | 'maxConcurrent' | 'tmuxSocket' | 'searchPath'> &
  Partial<Pick<Config, 'keepOpenMinutes'>> & {
    server: string;
    accessToken: string;
  };

export type AgentDeps = {
  fetch?: Fetch;
  /** One line per event; never receives tokens or tickets. Default: stderr with a timestamp. */
  log?: (line: string) => void;
  /** Heartbeat period in ms (default LEASE_MS / 3). */
  heartbeatMs?: number;
  /** Minimum ms between two captures of one task (default 50). */
  minFrameIntervalMs?: number;
  /** Period of the queue check while below maxConcurrent, and of the follow-up check while a window is held open, in ms (default QUEUE_POLL_MS). */
  queuePollMs?: number;
  /** Overrides the policy's approval deadline, in ms (tests use seconds, not minutes). */
  approvalDeadlineMs?: number;
  /** How long an AI CLI's idle screen must last before its task ends, in ms (default 1500). */
  idleStableMs?: number;
  /** Extra environment for every task window (tests point the CLIs at a local model server and a temp HOME). */
  taskEnv?: Record<string, string>;
  /**
   * Test/diagnostic switch, not a user feature: false starts the AI CLIs without Hearth's hook, so their pane
   * dialogs are the only gate and the screen fallback (screen-approvals.ts) answers them. Default true.
   */
  cliHooks?: boolean;
  /** How long a pane dialog must stay unchanged before it becomes a screen approval, in ms (default 1000). */
  dialogStableMs?: number;
};

/** How often an agent with a free slot asks for queued work even without a nudge (nudges are best effort), in ms. */
export const QUEUE_POLL_MS = 15_000;

export type RunningAgent = {
  stop(): Promise<void>;
  /**
   * Resolves once the agent ended itself because it was revoked (a 401 from the Worker, or ROOM_CLOSE_REVOKED from the
   * room): it logged REVOKED_MESSAGE, stopped and killed its tasks' processes. Never resolves otherwise.
   */
  revoked: Promise<void>;
};

const defaultLog = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
};

/**
 * Start the daemon: the approval policy (<configDir>/policy.json), tmux session and control client, local state
 * (resuming tasks left running), the hook socket (<configDir>/run/hook.sock), then the room link in the background
 * (retrying until the Worker answers). Resolves once local setup is done.
 * Throws AgentError when the policy is invalid (`config-invalid`) or tmux or local state cannot be set up.
 */
export async function runAgent(config: AgentConfig, deps: AgentDeps = {}): Promise<RunningAgent> {
  const log = deps.log ?? defaultLog;
  const report = (error: unknown): void => log(`error: ${errorLine(error)}`);
  const stopping = new AbortController();
  const socket = config.tmuxSocket;
  // Revoked: say so once, stop, and kill the tasks' processes (nobody can approve or watch them any more).
  const revocation = createRevocation({
    log,
    report,
    stop: () => agent.stop(),
    killTasks: async () => log(`agent: ended the processes of its tasks (${(await killAll(config)).killedPanes} window(s))`),
  });
  const unauthorized = (): void => revocation.trigger();
  const api = createWorkerApi({ server: config.server, token: config.accessToken, fetch: reportingUnauthorized(deps.fetch ?? fetch, unauthorized) });
  const launchers = availableLaunchers(config.searchPath);
  const { policy, source: policySource } = loadPolicy(config.configDir);
  const deadlineMs = deps.approvalDeadlineMs ?? policy.approvalDeadlineMinutes * 60_000;
  const gate = createApprovalGate({ api, policy, now: Date.now, log, deadlineMs });

  mkdirSync(config.configDir, { recursive: true, mode: 0o700 });
  await ensureSession(socket);
  const state = openLocalState(join(config.configDir, 'state.db'));
  let link: RoomLink | undefined;

  const stream = createPaneStream({
    socket,
    state,
    send: (frame) => link?.send(frame) ?? false,
    isReady: () => link?.isReady() ?? false,
    report,
    minIntervalMs: deps.minFrameIntervalMs,
    onScreen: (taskId, rows) => {
      runner.onScreen(taskId, rows);
      screens.onScreen(taskId, rows);
    },
  });

  const workspacePath = (name: string): string | undefined => config.workspaces.find((w) => w.name === name)?.path;
  const cliHooks = deps.cliHooks !== false;
  // A dialog with no hook request pending becomes an approval answered with keys (issue 3).
  const screens = createScreenApprovals({
    target: (taskId) => runner.hookTarget(taskId),
    hooksInFlight: (taskId) => runner.hooksInFlight(taskId),
    dialogKeys: (backend) => launchers.get(backend)?.dialog,
    workspacePath,
    readScreen: async (paneId) => (await captureScreen(socket, paneId))?.rows,
    sendKey: (paneId, key) => sendKey(socket, paneId, key),
    decide: (question, signal) => gate.decide(question, signal),
    log,
    report,
    stableMs: deps.dialogStableMs,
    // With hooks on, a dialog nobody's hook has claimed yet may belong to a hook still starting (node start-up).
    hookGraceMs: cliHooks ? 4_000 : 0,
  });

  const runner = createTaskRunner({
    socket,
    stateDir: config.configDir,
    workspaces: config.workspaces,
    launchers,
    api,
    state,
    stream,
    sendToRoom: (message) => link?.send(message) ?? false,
    log,
    report,
    heartbeatMs: deps.heartbeatMs ?? LEASE_MS / 3,
    signal: stopping.signal,
    // `claims` is created right below; the runner frees a slot only once tasks run, long after.
    onSlotFree: () => claims.request(),
    onTaskEnd: (taskId) => screens.forget(taskId),
    hooks: { socketPath: hookSocketPath(config.configDir), deadlineMs, env: deps.taskEnv, enabled: cliHooks },
    idleStableMs: deps.idleStableMs,
    keepOpenMs: keepOpenMs(config.keepOpenMinutes ?? DEFAULT_KEEP_OPEN_MINUTES),
    // `windows` is created right below; the runner holds a window open only once a turn is over, long after.
    holdOpen: (local) => windows.hold(local),
  });

  // AI CLI windows kept open after their turn for a follow-up (issue 3): out of the runner, back into it on a follow-up.
  const windows = createOpenWindows({
    socket,
    stateDir: config.configDir,
    api,
    state,
    stream,
    launchers,
    sendToRoom: (message) => link?.send(message) ?? false,
    log,
    report,
    signal: stopping.signal,
    resume: (local, text) => runner.resume(local, text),
    connected: () => link?.isReady() ?? false,
    pollMs: deps.queuePollMs ?? QUEUE_POLL_MS,
  });

  const hookSocket = await listenHookSocket(
    hookSocketPath(config.configDir),
    createHookHandler({
      target: (taskId) => runner.hookTarget(taskId),
      workspacePath,
      gate,
      inFlight: (taskId, delta) => {
        runner.hookInFlight(taskId, delta);
        screens.onHookActivity(taskId);
      },
      log,
    }),
    report,
  );

  const claims = createClaimLoop({
    api,
    maxConcurrent: config.maxConcurrent,
    running: () => runner.count(),
    connected: () => link?.isReady() ?? false,
    start: (task) => runner.start(task),
    log,
    report,
    signal: stopping.signal,
    pollMs: deps.queuePollMs ?? QUEUE_POLL_MS,
    retryMs: 5_000,
  });

  function onRoomMessage(message: RoomToAgent): void {
    switch (message.type) {
      case 'ack':
        stream.ack(message.taskId, message.seq);
        break;
      case 'snapshot-request':
        stream.snapshot(message.taskId).catch(report);
        break;
      case 'nudge':
        if (message.reason === 'task-queued') claims.request();
        else if (message.reason === 'approval-decided') {
          if (message.approvalId) gate.decided(message.approvalId);
        } else if (message.taskId && windows.has(message.taskId)) windows.check(message.taskId).catch(report);
        else if (message.taskId && runner.has(message.taskId)) runner.checkCancelled(message.taskId).catch(report);
        break;
      default:
        break;
    }
  }

  async function onRoomReady(): Promise<void> {
    log('room: ready');
    stream.resume();
    await api.putCapabilities({
      workspaces: config.workspaces.map((w) => w.name),
      backends: [...launchers.keys()],
      maxConcurrent: config.maxConcurrent,
    });
    claims.request();
    windows.checkAll();
  }

  // tmux control client: %output → capture; pane-dead subscription → task ended. Re-attached if it exits.
  let control: ControlClient | undefined;
  const attach = (): void => {
    const client = attachControl(socket, (line) => {
      const event = parseControlLine(line);
      if (event?.kind === 'output') stream.onOutput(event.paneId);
      else if (event?.kind === 'pane-dead') {
        runner.onPaneDead(event.paneId);
        windows.onPaneDead(event.paneId);
      }
    });
    client.command(SUBSCRIBE_DEAD);
    control = client;
    client.exited
      .then(async () => {
        if (stopping.signal.aborted) return;
        log('tmux: control client exited; re-attaching');
        await sleep(1_000, undefined, { signal: stopping.signal });
        await ensureSession(socket);
        attach();
      })
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) report(error);
      });
  };
  attach();

  const adopting = Promise.all(
    state.tasks().map((local) => (local.status === 'open' ? windows.adopt(local) : runner.adopt(local)).catch(report)),
  );

  // Room link: retried in the background until a first ticket arrives (the Worker may be down).
  const connecting = (async () => {
    for (let attempt = 0; !stopping.signal.aborted; attempt++) {
      let first: RoomTicketResponse;
      try {
        first = await api.roomTicket();
      } catch (error) {
        if (stopping.signal.aborted) return; // stopped meanwhile (e.g. revoked: that 401 was this call)
        const delay = Math.min(30_000, 1_000 * 2 ** attempt);
        log(`room: cannot get a ticket (${errorLine(error)}); retrying in ${delay / 1000}s`);
        await sleep(delay, undefined, { signal: stopping.signal }).catch(() => undefined);
        continue;
      }
      link = openRoomLink(
        {
          fetchTicket: () => api.roomTicket(),
          protocol: config.server.startsWith('https:') ? 'wss' : 'ws',
          log,
          onReady: () => void onRoomReady().catch(report),
          onMessage: onRoomMessage,
          onRevoked: unauthorized,
        },
        first,
      );
      return;
    }
  })();

  log(
    `agent: started (tmux socket ${socket}, ${config.workspaces.length} workspace(s), backends ${[...launchers.keys()].join(',')}, ` +
      `approval policy from ${policySource}, deadline ${Math.round(deadlineMs / 1000)}s)`,
  );

  const agent: RunningAgent = {
    revoked: revocation.done,
    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      link?.close();
      await connecting;
      link?.close();
      await adopting;
      await claims.stop();
      screens.stop();
      await hookSocket.close();
      await windows.stop();
      await runner.stop();
      await stream.stopAll();
      await control?.close();
      state.close();
      log('agent: stopped (task windows keep running)');
    },
  };
  return agent;
}
