// The task view (#task-view): status, exit code, error, the live pane in <pre id="screen"> that follows the tail
// (also while a succeeded task's window is open for a follow-up) with a note while the room link is not live, Cancel
// while the task can still stop, auto-allow while it runs, and the stored final screen once it has ended. Approval cards: approvals-panel.ts; the conversation
// and follow-up box: follow-up-panel.ts.
import { isTerminal, type PaneFrame, type TaskStatus, type TaskView } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { ApiError, describeError } from './api-error.ts';
import { mountAutoAllow } from './auto-allow-control.ts';
import { required, showMessage } from './element.ts';
import { isAtBottom, rowsToShow } from './follow-tail.ts';
import { followsLive } from './follow-up-model.ts';
import { mountFollowUpPanel } from './follow-up-panel.ts';
import { formatDuration, relativeTime } from './relative-time.ts';
import type { RoomStatus } from './room-client.ts';
import { applyFrame, type Screen } from './screen-model.ts';
import { drawTaskAttachments } from './task-attachments.ts';
import { createStalePane } from './stale-pane.ts';
import { canCancel, firstLine, statusLabel } from './task-summary.ts';

/** The room operations the view needs; main forwards them to the current room connection, if any. */
export type LiveFeed = {
  subscribe(taskId: string): void;
  unsubscribe(taskId: string): void;
  requestSnapshot(taskId: string): void;
};

export type TaskViewController = {
  /** Show task `taskId`: fetch it, then follow its pane live or show its final screen. */
  open(taskId: string): Promise<void>;
  /** Leave the view: stop following the pane. */
  close(): void;
  /** A pane frame from the room (frames for other tasks are ignored). */
  pane(frame: PaneFrame): void;
  /** The room says a task's status changed: refetch it if it is the open one. */
  taskChanged(taskId: string, status: TaskStatus): void;
  /** Refetch the open task, if any (after a reconnect: its status may have changed while the link was down). */
  refresh(): void;
  /**
   * The room link's state. While it is not live, a live pane keeps its last screen under a quiet note naming the
   * time of that screen, until `resumed` says the room's catch-up for the open task has been applied.
   */
  connection(status: RoomStatus): void;
  /** The room has sent all it held for `taskId` after a (re)subscribe: its pane is live again. */
  resumed(taskId: string): void;
  /** The seq of the newest frame applied for `taskId`, for resuming after a reconnect. */
  lastSeqOf(taskId: string): number | undefined;
  /** The task shown now, or null. */
  openTaskId(): string | null;
  /** The clock moved: redraw what depends on it (auto-allow ends on its own). */
  tick(): void;
};

/** Minimum time between two snapshot-requests for the open task, in ms. */
const SNAPSHOT_RETRY_MS = 3_000;

/** Wire the task view inside `root` (the #task-view section). `now` gives epoch ms. */
export function mountTaskView(deps: {
  root: HTMLElement;
  api: Pick<Api, 'getTask' | 'cancelTask' | 'autoAllow' | 'sendFollowUp' | 'closeSession'>;
  live: LiveFeed;
  now(): number;
  /** Where an unexpected failure goes (a bug: every expected one is shown in the view). */
  report(error: unknown): void;
  /** A fresh follow-up id (FollowUpId, a uuid); default crypto.randomUUID. */
  newId?: () => string;
}): TaskViewController {
  const { root, api, live } = deps;
  const status = required(root, '#task-status', HTMLElement);
  const icon = required(root, '#task-status-icon', HTMLElement);
  const meta = required(root, '#task-meta', HTMLElement);
  const promptText = required(root, '#task-prompt', HTMLElement);
  const promptSummary = required(root, '#task-prompt-summary', HTMLElement);
  const attachmentList = required(root, '#task-attachments', HTMLUListElement);
  const exit = required(root, '#task-exit', HTMLElement);
  const taskError = required(root, '#task-error', HTMLElement);
  const screenEl = required(root, '#screen', HTMLPreElement);
  const follow = required(root, '#follow', HTMLButtonElement);
  const screenNote = required(root, '#screen-note', HTMLElement);
  const staleNote = required(root, '#screen-stale', HTMLElement);
  const stale = createStalePane((note) => {
    showMessage(staleNote, note);
    screenEl.dataset['stale'] = String(note !== '');
  });
  const cancel = required(root, '#cancel', HTMLButtonElement);
  const viewError = required(root, '#task-view-error', HTMLElement);
  const autoAllow = mountAutoAllow({
    root: required(root, '#auto-allow', HTMLElement),
    api,
    onTask: (view) => {
      if (view.id !== openId) return;
      task = view;
      drawTask(view);
    },
    report: deps.report,
  });
  const followUps = mountFollowUpPanel({
    root: required(root, '#follow-up-panel', HTMLElement),
    promptBox: required(root, '.prompt-box', HTMLDetailsElement),
    api,
    newId: deps.newId ?? (() => crypto.randomUUID()),
    onChanged: (taskId) => {
      if (taskId === openId) load(taskId).catch(deps.report);
    },
    report: deps.report,
  });

  let openId: string | null = null;
  let task: TaskView | null = null;
  let screen: Screen | null = null;
  let following = true;
  let snapshotAskedAt = 0;
  let fetchGeneration = 0;
  let subscribed: string | null = null;
  /** Whether the last drawTask followed the live pane (it stops on its own when an open window's time runs out). */
  let drawnLive = false;

  const followPane = (taskId: string | null): void => {
    if (subscribed === taskId) return;
    if (subscribed) live.unsubscribe(subscribed);
    subscribed = taskId;
    if (taskId) live.subscribe(taskId);
  };

  const drawRows = (rows: readonly string[]): void => {
    screenEl.textContent = rowsToShow(rows).join('\n');
    if (following) screenEl.scrollTop = screenEl.scrollHeight;
  };

  const drawTask = (view: TaskView): void => {
    const label = statusLabel(view.status);
    status.textContent = label.text;
    status.dataset['status'] = view.status;
    status.title = label.text;
    icon.textContent = label.icon;
    root.dataset['status'] = view.status;
    const ran = view.startedAt && view.endedAt ? `ran ${formatDuration(view.endedAt - view.startedAt)}` : null;
    meta.textContent = [view.backend, view.model ? `model ${view.model}` : null, view.workspace, relativeTime(view.createdAt, deps.now()), ran]
      .filter(Boolean)
      .join(' · ');
    promptText.textContent = view.prompt;
    promptSummary.textContent = firstLine(view.prompt, 60) || 'Prompt';
    drawTaskAttachments(attachmentList, view);
    showMessage(exit, view.exitCode === null ? '' : `exit code ${view.exitCode}`);
    showMessage(taskError, view.error ? `${view.error.code}: ${view.error.message}` : '');
    cancel.hidden = !canCancel(view.status);
    cancel.disabled = false;
    autoAllow.draw(view, deps.now());
    followUps.draw(view, deps.now());
    // A succeeded task whose window is open keeps its live pane: a follow-up turn plays out on it.
    drawnLive = followsLive(view, deps.now());
    followPane(drawnLive ? view.id : null);
    if (drawnLive && screen) {
      drawRows(screen.rows);
      showMessage(screenNote, '');
    } else if (isTerminal(view.status)) {
      if (view.finalScreen) {
        drawRows(view.finalScreen);
        showMessage(screenNote, drawnLive ? '' : view.finalScreen.length ? 'Final screen' : 'The final screen was empty.');
      } else if (screen) {
        showMessage(screenNote, 'Last screen seen live (no final screen was stored).');
      } else {
        drawRows([]);
        showMessage(screenNote, 'No screen was stored for this task.');
      }
    } else if (!screen) {
      drawRows([]);
      showMessage(screenNote, view.status === 'queued' ? 'Waiting for the home agent to start it…' : 'Waiting for the screen…');
    } else {
      showMessage(screenNote, '');
    }
    stale.following(drawnLive);
  };

  /** Fetch the open task and draw it; an older fetch finishing late is dropped. */
  const load = async (taskId: string): Promise<void> => {
    const mine = ++fetchGeneration;
    try {
      const view = await api.getTask(taskId);
      if (mine !== fetchGeneration || openId !== taskId) return;
      task = view;
      showMessage(viewError, '');
      drawTask(view);
    } catch (failure) {
      if (mine !== fetchGeneration || openId !== taskId) return;
      const { title, detail } = describeError(failure);
      showMessage(viewError, detail ? `${title}: ${detail}` : title);
    }
  };

  screenEl.addEventListener('scroll', () => {
    following = isAtBottom(screenEl);
    follow.hidden = following;
  });
  follow.addEventListener('click', () => {
    following = true;
    follow.hidden = true;
    screenEl.scrollTop = screenEl.scrollHeight;
  });
  cancel.addEventListener('click', () => {
    const taskId = openId;
    if (!taskId) return;
    cancel.disabled = true;
    api
      .cancelTask(taskId)
      .then((view) => {
        if (openId !== taskId) return;
        task = view;
        drawTask(view);
      })
      .catch(async (failure: unknown) => {
        if (openId !== taskId) return;
        const { title, detail } = describeError(failure);
        showMessage(viewError, detail ? `${title}: ${detail}` : title);
        if (failure instanceof ApiError && failure.code === 'conflict') await load(taskId);
        else cancel.disabled = false;
      })
      .catch(deps.report);
  });

  return {
    async open(taskId) {
      followPane(null);
      openId = taskId;
      task = null;
      screen = null;
      following = true;
      follow.hidden = true;
      snapshotAskedAt = 0;
      stale.reset();
      delete root.dataset['status'];
      status.textContent = '…';
      status.dataset['status'] = '';
      icon.textContent = '';
      meta.textContent = '';
      promptText.textContent = '';
      promptSummary.textContent = 'Prompt';
      showMessage(exit, '');
      showMessage(taskError, '');
      showMessage(viewError, '');
      cancel.hidden = true;
      autoAllow.draw(null, deps.now());
      followUps.draw(null, deps.now());
      drawnLive = false;
      drawRows([]);
      stale.following(false);
      showMessage(screenNote, 'Loading…');
      await load(taskId);
    },
    close() {
      followPane(null);
      openId = null;
      task = null;
      autoAllow.draw(null, deps.now());
      followUps.draw(null, deps.now());
      drawnLive = false;
      screen = null;
      stale.reset();
      stale.following(false);
      fetchGeneration += 1;
    },
    pane(frame) {
      if (frame.taskId !== openId || (task && !followsLive(task, deps.now()))) return;
      const result = applyFrame(screen, frame);
      if (result.kind === 'applied') {
        screen = result.screen;
        stale.applied(deps.now());
        if (frame.body.full) snapshotAskedAt = 0;
        drawRows(screen.rows);
        showMessage(screenNote, '');
      } else if (result.kind === 'need-snapshot' && deps.now() - snapshotAskedAt >= SNAPSHOT_RETRY_MS) {
        snapshotAskedAt = deps.now();
        live.requestSnapshot(frame.taskId);
      }
    },
    taskChanged(taskId) {
      if (taskId === openId) load(taskId).catch(deps.report);
    },
    refresh() {
      if (openId) load(openId).catch(deps.report);
    },
    connection: (status) => stale.connection(status),
    resumed(taskId) {
      if (taskId === openId) stale.resumed();
    },
    lastSeqOf(taskId) {
      return taskId === openId && screen ? screen.seq : undefined;
    },
    openTaskId: () => openId,
    tick() {
      autoAllow.draw(task, deps.now());
      // An open window's time ran out: stop following and show the final screen (drawTask redraws the panel too).
      if (task && followsLive(task, deps.now()) !== drawnLive) drawTask(task);
      else followUps.draw(task, deps.now());
    },
  };
}
