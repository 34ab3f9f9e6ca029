// What the scripted model does, and the per-request decision every API dialect shares. Stateless: each
// request is answered from its own body alone (a later turn differs only by what its body holds: an echo tag).

/** The one tool call the model asks for on its first turn. `path` may be relative to the CLI's workspace. */
export type ModelToolCall =
  | { kind: 'shell'; command: string; description?: string }
  | { kind: 'write'; path: string; content: string; description?: string };

/** The script of one model server: which tool call turn 1 asks for, and the final text (holding a marker). */
export type ModelScript = {
  toolCall: ModelToolCall;
  /** The answer once the conversation holds a tool result; put a unique marker in it to find it on screen. */
  finalText: string;
  /** Text for side calls that offer no tools (titles, summaries). Default `Hearth test session`. */
  auxText?: string;
  /** Wait this many ms before answering a tool-call, final or echo turn (lets a test see the working screen). */
  delayMs?: number;
  /**
   * When set, a newest user message (not a tool result) holding `<echoTag>:<word>` is answered at once with
   * `<echoTag>-ANSWER:<word>` and no tool call: each turn of one conversation answers what it was asked.
   */
  echoTag?: string;
};

/**
 * Which answer a request got: `tool-call` (turn 1), `final` (a tool result came back), `echo` (the user message held
 * the script's echo tag), `aux` (no tools).
 */
export type ModelTurn = 'tool-call' | 'final' | 'echo' | 'aux' | 'unhandled';

/** What an API handler decided for one request; `toolResult` is the tool output the CLI sent back, as text. */
export type ModelDecision = { turn: ModelTurn; toolResult: string | null };

/**
 * The shared rule: tools offered and a tool result present → final; tools offered and an echo answer for the
 * newest user text → echo; tools offered → tool call; else aux.
 */
export function decideTurn(offersTools: boolean, toolResult: string | null, echo: string | null = null): Exclude<ModelTurn, 'unhandled'> {
  if (!offersTools) return 'aux';
  if (toolResult !== null) return 'final';
  return echo === null ? 'tool-call' : 'echo';
}

/** The echo answer (`<tag>-ANSWER:<word>`, the last `<tag>:<word>` in `userText`), or null without tag or match. */
export function echoAnswer(script: ModelScript, userText: string | null): string | null {
  if (!script.echoTag || userText === null) return null;
  const tag = script.echoTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const words = [...userText.matchAll(new RegExp(`${tag}:([A-Za-z0-9_-]+)`, 'g'))];
  const word = words.at(-1)?.[1];
  return word === undefined ? null : `${script.echoTag}-ANSWER:${word}`;
}

export const DEFAULT_AUX_TEXT = 'Hearth test session';

/** One line for the tool call's description / justification field (Codex shows it as the dialog's Reason). */
export const describeCall = (call: ModelToolCall): string =>
  call.description ?? (call.kind === 'shell' ? `Run ${call.command}` : `Write ${call.path}`);

/** A POSIX shell single-quoted word: safe for any text. */
const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The call as one shell command, for CLIs that offer no write tool (a write becomes `printf … > path`). */
export const asShellCommand = (call: ModelToolCall): string =>
  call.kind === 'shell' ? call.command : `printf '%s' ${shellQuote(call.content)} > ${shellQuote(call.path)}`;

/** Text of a tool result that may be a string, an array of `{ text }` blocks, or any JSON value. */
export function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map((part: unknown) =>
        part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : JSON.stringify(part),
      )
      .join('\n');
  }
  return JSON.stringify(value ?? null);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
