// Asking an AI CLI to quit cleanly: type its quit command (tmux.ts typeText) and wait a bounded time for its pane's
// program to exit. Never kills anything itself: the caller kills the task's process tree afterwards (process-tree.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { paneState, typeText } from './tmux.ts';

/** How long to wait for a CLI to exit after its quit command, in ms, before its processes are killed. */
export const QUIT_WAIT_MS = 5_000;
/** Pause between pasting text and pressing Enter, in ms (Gemini CLI drops an Enter that comes right after a paste). */
export const ENTER_AFTER_PASTE_MS = 300;

/**
 * Type `quit` (then Enter) into the pane and poll every 100 ms, up to QUIT_WAIT_MS, until its program is dead or
 * the pane is gone. True when it exited; false when it still runs (or typing failed: `report` gets the error).
 */
export async function quitCli(socket: string, paneId: string, quit: string, report: (error: unknown) => void): Promise<boolean> {
  if ((await paneState(socket, paneId))?.dead !== false) return true;
  try {
    await typeText(socket, paneId, quit, ENTER_AFTER_PASTE_MS);
  } catch (error) {
    report(error);
    return false;
  }
  const deadline = Date.now() + QUIT_WAIT_MS;
  for (;;) {
    if ((await paneState(socket, paneId))?.dead !== false) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}
