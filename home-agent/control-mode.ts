// Parses tmux control-mode notification lines into the few events the agent reacts to. Pure: no I/O.
// Pane content arrives only inside %output lines, whose data is ignored here: only the pane id matters.

/** Name of the control-mode subscription that reports each pane's `dead/status`. */
export const DEAD_SUBSCRIPTION = 'hearth-dead';

/** The refresh-client line that subscribes to every pane's liveness (tmux ≥ 3.2 format subscriptions). */
export const SUBSCRIBE_DEAD = `refresh-client -B '${DEAD_SUBSCRIPTION}:%*:#{pane_dead}/#{pane_dead_status}'`;

export type ControlEvent =
  | { kind: 'output'; paneId: string }
  | { kind: 'pane-dead'; paneId: string; status: number | null }
  | { kind: 'pane-alive'; paneId: string }
  | { kind: 'exit' };

const OUTPUT = /^%(?:extended-)?output (%\d+) /;
const SUBSCRIPTION = new RegExp(`^%subscription-changed ${DEAD_SUBSCRIPTION} \\$\\d+ @\\d+ \\d+ (%\\d+) : ([01])/(-?\\d*)$`);

/** One control-mode line → an event, or null for lines the agent does not care about. */
export function parseControlLine(line: string): ControlEvent | null {
  const output = OUTPUT.exec(line);
  if (output) return { kind: 'output', paneId: output[1]! };
  const sub = SUBSCRIPTION.exec(line);
  if (sub) {
    if (sub[2] === '0') return { kind: 'pane-alive', paneId: sub[1]! };
    return { kind: 'pane-dead', paneId: sub[1]!, status: sub[3] === '' ? null : Number(sub[3]) };
  }
  if (line === '%exit' || line.startsWith('%exit ')) return { kind: 'exit' };
  return null;
}
