// The phone app's entry: sign in, mount the views, route, and connect the room. Wiring only; logic is in modules.
import './zod-jitless.ts'; // first: before any protocol schema is built (CSP, see the module)
import { ERROR_TITLES, ErrorCode, type RoomTicketResponse } from '../protocol/index.ts';
import { createApi } from './api.ts';
import { ApiError, describeError } from './api-error.ts';
import { startAppUpdates } from './app-update.ts';
import { createApprovalBoard } from './approval-board.ts';
import { mountApprovalsPanel } from './approvals-panel.ts';
import { mountAttachmentPicker } from './attach-picker.ts';
import { mountComposer } from './composer.ts';
import { mountConnectionIndicator } from './connection-indicator.ts';
import { required, showMessage } from './element.ts';
import { trackKeyboardInset } from './keyboard-inset.ts';
import { createNavigator } from './navigation.ts';
import { mountOfflineState } from './offline-state.ts';
import { mountPairView } from './pair-view.ts';
import { connectRoom, type RoomClient, type RoomStatus } from './room-client.ts';
import { reverifyPasskey } from './passkey.ts';
import { setupTokenFromHash, type Route } from './routes.ts';
import { mountScreenTools } from './screen-tools.ts';
import { mountSettingsView } from './settings-view.ts';
import { NOT_SIGNED_IN, passkeySignIn, signIn, type SignInDeps } from './sign-in.ts';
import { mountTaskList } from './task-list.ts';
import { mountTaskView, type LiveFeed } from './task-view.ts';

/** How long to wait before retrying the first room ticket after a failure, in ms. */
const ROOM_RETRY_MS = 5_000;
/** How often relative times in the list are redrawn, in ms. */
const TICK_MS = 30_000;
/** How often approval countdowns (and auto-allow ends) are redrawn, in ms. */
const CLOCK_MS = 1_000;

async function start(win: Window): Promise<void> {
  const doc = win.document;
  trackKeyboardInset(win);
  const api = createApi({ fetch: (input, init) => win.fetch(input, init) });
  const sections = {
    booting: required(doc, '#booting', HTMLElement),
    signedOut: required(doc, '#signed-out', HTMLElement),
    setup: required(doc, '#setup', HTMLElement),
    home: required(doc, '#home', HTMLElement),
    task: required(doc, '#task-view', HTMLElement),
    pair: required(doc, '#pair-view', HTMLElement),
    settings: required(doc, '#settings-view', HTMLElement),
  };
  const banner = required(doc, '#app-error', HTMLElement);
  let bannerTimer: number | undefined;
  startAppUpdates(win); // before sign-in: the shell is cached even while signed out
  const offline = mountOfflineState(win);
  const report = (error: unknown): void => {
    if (offline.absorbs(error)) return; // the offline note already says it
    const { title, detail } = describeError(error);
    showMessage(banner, detail ? `${title}: ${detail}` : title);
    win.clearTimeout(bannerTimer);
    bannerTimer = win.setTimeout(() => showMessage(banner, ''), 8_000);
  };
  const showOnly = (...visible: HTMLElement[]): void => {
    for (const section of Object.values(sections)) section.hidden = !visible.includes(section);
  };
  required(doc, '#retry', HTMLButtonElement).addEventListener('click', () => win.location.reload());
  const signInDeps: SignInDeps = { doc, api, location: win.location, history: win.history, showOnly: (section) => showOnly(section) };
  /** Signed out while the app runs: offer the passkey sign-in, then start over signed in. */
  const showSignedOut = (message: string): void => {
    passkeySignIn(signInDeps, message)
      .then(() => win.location.reload())
      .catch(report);
  };

  if ((await signIn(signInDeps)) === null) {
    offline.whenOnline(() => win.location.reload()); // the Worker was out of reach: start over when the network is back
    return;
  }
  const settingsLink = required(doc, '#settings-link', HTMLAnchorElement);
  settingsLink.hidden = false;

  const indicator = mountConnectionIndicator({
    room: required(doc, '#connection', HTMLElement),
    agent: required(doc, '#agent-presence', HTMLElement),
  });
  let room: RoomClient | null = null;
  let wanted: string | null = null;
  const live: LiveFeed = {
    subscribe(taskId) {
      wanted = taskId;
      room?.subscribe(taskId);
    },
    unsubscribe(taskId) {
      if (wanted === taskId) wanted = null;
      room?.unsubscribe(taskId);
    },
    requestSnapshot: (taskId) => room?.requestSnapshot(taskId),
  };
  const now = (): number => Date.now();
  /** localStorage, read at each call (the screen tools' fit choice, the composer's last picks). */
  const storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = {
    getItem: (key) => win.localStorage.getItem(key),
    setItem: (key, value) => win.localStorage.setItem(key, value),
    removeItem: (key) => win.localStorage.removeItem(key),
  };
  mountScreenTools({
    screen: required(doc, '#screen', HTMLPreElement),
    fit: required(doc, '#screen-fit', HTMLButtonElement),
    copy: required(doc, '#screen-copy', HTMLButtonElement),
    status: required(doc, '#screen-copied', HTMLElement),
    storage,
    writeText: win.isSecureContext && win.navigator.clipboard ? (text) => win.navigator.clipboard.writeText(text) : undefined,
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
  });
  const taskView = mountTaskView({ root: sections.task, api, live, now, report });
  const taskList = mountTaskList({
    list: required(doc, '#tasks', HTMLUListElement),
    error: required(doc, '#tasks-error', HTMLElement),
    api,
    now,
  });
  const pairView = mountPairView({ root: sections.pair, api, reverify: () => reverifyPasskey(api), report });
  /** This phone's session is over (signed out, revoked or its passkey removed): no reconnects, offer the sign-in. */
  const endSession = (message: string): void => {
    room?.close();
    indicator.state({ state: 'signed-out' });
    taskView.connection({ state: 'signed-out' });
    showSignedOut(message);
  };
  const settingsView = mountSettingsView({ root: sections.settings, api, now, reverify: () => reverifyPasskey(api), signedOut: endSession, report });
  const board = createApprovalBoard({ api, now, report });
  const approvals = mountApprovalsPanel({
    section: required(doc, '#approvals', HTMLElement),
    inline: required(doc, '#task-approvals', HTMLElement),
    board,
    openTaskId: () => taskView.openTaskId(),
    now,
    report,
  });
  board.listen(() => approvals.draw());
  const refreshApprovals = (): void => {
    board.refresh().catch(report);
  };
  let route: Route = { kind: 'home' };
  const show = (next: Route): void => {
    route = next;
    doc.body.dataset.route = next.kind; // the phone layout docks a different input bar per route (styles/layout.css)
    win.scrollTo(0, 0);
    if (next.kind === 'settings') settingsLink.setAttribute('aria-current', 'page');
    else settingsLink.removeAttribute('aria-current');
    if (next.kind !== 'task') taskView.close();
    if (next.kind === 'home' || next.kind === 'task') {
      // An open task sits above the composer and the list, so a new task is one scroll away.
      showOnly(sections.home, ...(next.kind === 'task' ? [sections.task] : []));
      if (next.kind === 'task') taskView.open(next.taskId).catch(report);
      approvals.draw();
      taskList.refresh().catch(report);
      composer.refresh().catch(report);
    } else if (next.kind === 'settings') {
      showOnly(sections.settings);
      settingsView.show();
    } else {
      showOnly(sections.pair);
      pairView.show(next.userCode);
    }
  };
  const nav = createNavigator({ window: win, show });
  const attachments = mountAttachmentPicker({ root: required(doc, '#attachments', HTMLElement), api, report });
  const composer = mountComposer({
    root: sections.home,
    attachments,
    followUpRoot: sections.task,
    api,
    storage,
    openTaskId: () => taskView.openTaskId(),
    navigate: (next) => nav.go(next),
    now,
    report,
    onCreated: (task) => nav.go({ kind: 'task', taskId: task.id }),
  });

  let agentsOnline = -1;
  const events = {
    state: (status: RoomStatus) => {
      indicator.state(status);
      taskView.connection(status);
      if (status.state === 'signed-out') showSignedOut(NOT_SIGNED_IN);
    },
    pane: taskView.pane,
    resumed: taskView.resumed,
    taskChanged: (taskId: string, status: Parameters<typeof taskView.taskChanged>[1]) => {
      taskView.taskChanged(taskId, status);
      if (route.kind !== 'pair') taskList.refresh().catch(report);
      refreshApprovals();
    },
    approvalChanged: (approvalId: string, _taskId: string, status: Parameters<typeof board.changed>[1]) => {
      board.changed(approvalId, status);
      refreshApprovals();
    },
    // Back on the room after a gap: task-changed frames may have been missed meanwhile, so refetch what is shown.
    welcome: () => {
      refreshApprovals();
      taskView.refresh();
      if (route.kind !== 'pair') taskList.refresh().catch(report);
    },
    presence: (connected: number) => {
      indicator.presence(connected);
      // An agent coming online may offer new workspaces: refresh the composer's choices.
      if (connected > 0 && agentsOnline <= 0 && route.kind !== 'pair') composer.refresh().catch(report);
      agentsOnline = connected;
    },
    problem: (code: string, message: string) => {
      const known = ErrorCode.safeParse(code);
      const title = known.success ? ERROR_TITLES[known.data] : ERROR_TITLES.internal;
      report(new ApiError({ status: 0, code: known.success ? known.data : 'internal', title, detail: message }));
    },
  };
  const roomTicket = (): Promise<RoomTicketResponse> => api.roomTicket();
  const openRoom = async (): Promise<void> => {
    try {
      room = await connectRoom({ roomTicket, window: win, events, lastSeqOf: taskView.lastSeqOf });
      if (wanted) room.subscribe(wanted);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'unauthenticated') return events.state({ state: 'signed-out' });
      const retry = (): void => void openRoom().catch(report);
      if (win.navigator.onLine) {
        events.state({ state: 'reconnecting', attempt: 1 });
        win.setTimeout(retry, ROOM_RETRY_MS);
      } else {
        events.state({ state: 'offline' });
        win.addEventListener('online', retry, { once: true });
      }
    }
  };

  required(doc, '#sign-out', HTMLButtonElement).addEventListener('click', () => {
    api
      .signOut()
      .then(() => endSession('Signed out. Sign in again with your passkey.'))
      .catch(report);
  });
  win.setInterval(() => taskList.tick(), TICK_MS);
  win.setInterval(() => {
    board.tick();
    taskView.tick();
  }, CLOCK_MS);
  // A phone that opens the app later, or wakes it, sees what is pending now.
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') refreshApprovals();
  });
  refreshApprovals();

  show(nav.current());
  await openRoom();
}

// A setup link opened in a tab that already shows the app only changes the fragment: start over to use it.
window.addEventListener('hashchange', () => {
  if (setupTokenFromHash(window.location.hash) !== null) window.location.reload();
});
start(window).catch((error: unknown) => {
  const banner = document.getElementById('app-error');
  if (banner) showMessage(banner, `Hearth failed to start: ${describeError(error).detail}`);
});
