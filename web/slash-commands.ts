// The composer's slash commands: their table, which apply in which box, how typed text is read (a command, an
// unknown command, or plain text to send), and what the palette lists while one is typed. Pure: text in, data out.

/** Where text is typed: the home composer (#prompt) or an open session's message box (#follow-up). */
export type SlashPlace = 'composer' | 'follow-up';

export type SlashCommand = {
  name: 'help' | 'new' | 'abort' | 'model' | 'switch' | 'resume';
  /** The argument's hint (`<name>`), or null for a command that takes none. */
  arg: string | null;
  /** One line of help. */
  help: string;
  /** Where the command applies. In a session's box the others are the CLI's own commands, typed into it. */
  places: readonly SlashPlace[];
};
export type SlashName = SlashCommand['name'];

const BOTH: readonly SlashPlace[] = ['composer', 'follow-up'];

/** Every command, in the palette's order. */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: 'help', arg: null, help: 'Show these commands and what they do', places: BOTH },
  { name: 'new', arg: null, help: 'Start a fresh task: close the task, clear the prompt', places: BOTH },
  { name: 'abort', arg: null, help: 'Cancel the running task (asks first)', places: BOTH },
  { name: 'model', arg: '<name>', help: 'Choose the model for the next task', places: ['composer'] },
  { name: 'switch', arg: '<backend>', help: 'Switch the backend (claude, codex, gemini, shell)', places: ['composer'] },
  { name: 'resume', arg: null, help: 'Open an earlier task or continue an open session', places: BOTH },
];

/** What Run (or Send) does with the text. `arg` is trimmed, '' when none was typed. */
export type SlashInput =
  | { kind: 'text' }
  | { kind: 'command'; command: SlashCommand; arg: string }
  | { kind: 'unknown'; word: string };

/** A command word at the start, then optionally one line of argument: `/model gpt-5`, `/Help`. Paths do not match. */
const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+([^\n]*))?$/;

const applicable = (place: SlashPlace): SlashCommand[] => SLASH_COMMANDS.filter((c) => c.places.includes(place));
const byName = (word: string, place: SlashPlace): SlashCommand | undefined =>
  applicable(place).find((c) => c.name === word.toLowerCase());

/**
 * Read `text` as typed in `place`. Only known command names are commands, so a prompt that merely starts with "/"
 * (`/etc/hosts is wrong`, `/help me with this`: a command that takes no argument, followed by words) is text. A lone
 * unknown word (`/foo`) in the composer is `unknown`; in a session's box it is text, for the CLI's own commands.
 */
export function classify(text: string, place: SlashPlace): SlashInput {
  const match = COMMAND_LINE.exec(text.trim());
  if (!match?.[1]) return { kind: 'text' };
  const word = match[1];
  const arg = (match[2] ?? '').trim();
  const command = byName(word, place);
  if (command) return command.arg === null && arg !== '' ? { kind: 'text' } : { kind: 'command', command, arg };
  return place === 'composer' && arg === '' ? { kind: 'unknown', word: `/${word}` } : { kind: 'text' };
}

/** What the palette shows: the rows to offer, and for a word no command has, that word (to say so). */
export type PaletteView = { commands: SlashCommand[]; unknown: string | null };

/**
 * The palette for `text` as typed in `place`, or null when it stays closed. Open while a command name is being typed
 * at the very start (`/`, `/mo`: commands whose name starts with it, then those that contain it), and while an
 * argument follows a command that takes one (`/model gp`: that command alone).
 */
export function paletteFor(text: string, place: SlashPlace): PaletteView | null {
  const typing = /^\/([A-Za-z-]*)$/.exec(text);
  if (typing) {
    const query = (typing[1] ?? '').toLowerCase();
    const commands = applicable(place);
    const starts = commands.filter((c) => c.name.startsWith(query));
    const contains = commands.filter((c) => !c.name.startsWith(query) && c.name.includes(query));
    const found = [...starts, ...contains];
    if (found.length > 0) return { commands: found, unknown: null };
    return place === 'composer' ? { commands: [], unknown: text } : null;
  }
  const withArg = /^\/([A-Za-z][A-Za-z0-9-]*)[ \t][^\n]*$/.exec(text);
  const command = withArg?.[1] ? byName(withArg[1], place) : undefined;
  return command?.arg ? { commands: [command], unknown: null } : null;
}

/** The message for an unknown command word. */
export const unknownMessage = (word: string): string => `Unknown command ${word} — type /help`;

/** The argument typed after `command`'s own name in `text` (`/model gpt-5` → `gpt-5`), else '' (a row picked from `/mo`). */
export function argFor(text: string, command: SlashCommand): string {
  const match = COMMAND_LINE.exec(text.trim());
  return match?.[1]?.toLowerCase() === command.name ? (match[2] ?? '').trim() : '';
}
