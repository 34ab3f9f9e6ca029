// One pane's visible screen as plain rows: capture-pane through tmux.ts, then every control sequence stripped.
// The one place the agent turns a tmux capture into a Screen; callers never combine the two steps themselves.
import type { Screen } from './pane-diff.ts';
import { toScreenRows } from './pane-strip.ts';
import { capturePane } from './tmux.ts';

/** The pane's screen (size in cells, stripped rows), or undefined when the pane is gone. Throws AgentError. */
export async function captureScreen(socket: string, paneId: string): Promise<Screen | undefined> {
  const capture = await capturePane(socket, paneId);
  return capture && { width: capture.width, height: capture.height, rows: toScreenRows(capture.text, capture.height) };
}
