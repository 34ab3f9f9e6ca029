// The pane-dialog fallback (issue 3): a permission dialog left on a task's screen with no hook request pending becomes
// an approval (source 'screen') through the same gate, answered with the CLI's keys. Fails closed: the allow key only
// for an explicit allow while the very same dialog is still up; anything else the deny key, or nothing if it is gone.
import { createHash } from 'node:crypto';
import type { Backend } from '../protocol/index.ts';
import type { GateQuestion } from './approval-gate.ts';
import type { DialogKeys, ScreenDialog } from './backends/screen-dialog.ts';
import type { HookAnswer } from './hook-socket.ts';
import type { LocalTask } from './local-state.ts';
import type { AnswerKey } from './tmux.ts';

export type ScreenApprovalDeps = {
  /** The task if it runs here and is not ending. */
  target: (taskId: string) => LocalTask | undefined;
  /** Hook requests for the task being decided right now. */
  hooksInFlight: (taskId: string) => number;
  /** How the task's CLI shows and answers dialogs; undefined for programs without one (shell). */
  dialogKeys: (backend: Backend) => DialogKeys | undefined;
  workspacePath: (name: string) => string | undefined;
  /** A fresh ANSI-stripped capture of the pane, or undefined when it is gone. */
  readScreen: (paneId: string) => Promise<readonly string[] | undefined>;
  sendKey: (paneId: string, key: AnswerKey) => Promise<void>;
  /** The approval gate (never throws; any failure is a deny). */
  decide: (question: GateQuestion, signal: AbortSignal) => Promise<HookAnswer>;
  log: (line: string) => void;
  report: (error: unknown) => void;
  /** How long a dialog must stay unchanged, with no hook request in flight, before it is asked about, in ms. */
  stableMs?: number;
  /**
   * Extra wait (ms) for a dialog during which no hook request was seen at all: a hook's process may still be starting
   * (Claude Code shows its dialog while its PermissionRequest hook runs). 0 when the CLIs run without hooks.
   */
  hookGraceMs?: number;
};

/** Default DIALOG stability before asking, in ms. */
const DIALOG_STABLE_MS = 1_000;

type Watch = {
  /** The dialog text on screen, or null when none (hashed only when asked about: this runs on every frame). */
  text: string | null;
  since: number;
  /** This dialog was already asked about (pending or answered): never again while it stays up. */
  asked: boolean;
  controller: AbortController | null;
  timer: NodeJS.Timeout | null;
  lastHookAt: number;
};

/** Hex SHA-256 of a dialog's text: the approval's inputHash and the "same dialog" test. */
export const dialogHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function createScreenApprovals(deps: ScreenApprovalDeps) {
  const stableMs = deps.stableMs ?? DIALOG_STABLE_MS;
  const graceMs = deps.hookGraceMs ?? 0;
  const watches = new Map<string, Watch>();

  const watchOf = (taskId: string): Watch => {
    let w = watches.get(taskId);
    if (!w) watches.set(taskId, (w = { text: null, since: 0, asked: false, controller: null, timer: null, lastHookAt: 0 }));
    return w;
  };

  function forget(taskId: string): void {
    const w = watches.get(taskId);
    if (!w) return;
    w.controller?.abort();
    if (w.timer) clearTimeout(w.timer);
    watches.delete(taskId);
  }

  function schedule(taskId: string, w: Watch, delayMs: number): void {
    if (w.timer) return;
    w.timer = setTimeout(() => {
      w.timer = null;
      check(taskId, w).catch(deps.report);
    }, Math.max(50, delayMs));
  }

  /** Record what the screen shows; a changed or vanished dialog cancels the question about the old one. */
  function see(taskId: string, w: Watch, dialog: ScreenDialog | null): void {
    const text = dialog?.text ?? null;
    if (text === w.text) return;
    w.controller?.abort();
    Object.assign(w, { text, since: Date.now(), asked: false, controller: null });
  }

  async function check(taskId: string, w: Watch): Promise<void> {
    const task = deps.target(taskId);
    const keys = task && deps.dialogKeys(task.backend);
    if (!task || !keys) return forget(taskId);
    if (watches.get(taskId) !== w || w.asked || w.text === null) return;
    const rows = await deps.readScreen(task.paneId);
    if (!rows || watches.get(taskId) !== w) return;
    const dialog = keys.read(rows);
    see(taskId, w, dialog);
    if (!dialog || w.asked) return;
    const quietSince = Math.max(w.since, w.lastHookAt);
    const needed = stableMs + (w.lastHookAt >= w.since ? 0 : graceMs);
    const wait = quietSince + needed - Date.now();
    if (deps.hooksInFlight(taskId) > 0) return schedule(taskId, w, stableMs);
    if (wait > 0) return schedule(taskId, w, wait);
    await ask(task, keys, w, dialog);
  }

  async function ask(task: LocalTask, keys: DialogKeys, w: Watch, dialog: ScreenDialog): Promise<void> {
    const workspace = deps.workspacePath(task.workspace);
    const hash = dialogHash(dialog.text);
    const controller = new AbortController();
    Object.assign(w, { asked: true, controller });
    deps.log(`task ${task.taskId}: a ${task.backend} dialog is on screen with no hook request pending; asking the phone`);
    const answer = workspace
      ? await deps.decide(
          {
            taskId: task.taskId,
            workspace,
            call: null,
            inputHash: hash,
            request: {
              tool: dialog.title.slice(0, 128),
              summary: dialog.summary.slice(0, 2000),
              detail: dialog.text.slice(0, 32 * 1024),
              cwd: workspace,
              source: 'screen',
            },
          },
          controller.signal,
        )
      : { decision: 'deny' as const, reason: 'workspace no longer allowlisted' };
    if (w.controller === controller) w.controller = null;
    const allow = answer.decision === 'allow' && !controller.signal.aborted;
    // Answer only the dialog that was asked about: re-read the screen right before pressing a key.
    const rows = deps.target(task.taskId) ? await deps.readScreen(task.paneId) : undefined;
    const now = rows ? keys.read(rows) : null;
    if (!now || dialogHash(now.text) !== hash) {
      deps.log(`task ${task.taskId}: the dialog is no longer on screen; no key sent`);
      return;
    }
    await deps.sendKey(task.paneId, allow ? keys.allowKey : keys.denyKey);
    deps.log(`task ${task.taskId}: dialog answered on screen (${allow ? 'allow' : 'deny'})`);
  }

  return {
    /** A fresh capture of a task's screen (pane-stream.ts). */
    onScreen(taskId: string, rows: readonly string[]): void {
      const task = deps.target(taskId);
      const keys = task && deps.dialogKeys(task.backend);
      if (!keys) return;
      const w = watchOf(taskId);
      see(taskId, w, keys.read(rows));
      if (w.text !== null && !w.asked) schedule(taskId, w, stableMs);
    },

    /** A hook request for the task started or ended: the dialog it shows is the hook's, not ours, for a while. */
    onHookActivity(taskId: string): void {
      if (!deps.target(taskId)) return;
      const w = watchOf(taskId);
      w.lastHookAt = Date.now();
      if (w.text !== null && !w.asked) schedule(taskId, w, stableMs);
    },

    /** The task ended: withdraw its pending question (the gate denies it) and stop watching. */
    forget,

    stop(): void {
      for (const taskId of [...watches.keys()]) forget(taskId);
    },
  };
}
