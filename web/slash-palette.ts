// The slash palette on one text box: typing "/" at the start opens a listbox of the commands that apply there,
// filtered as the name is typed (ARIA 1.1 combobox: a wrapper with role=combobox owns the listbox, the textarea keeps
// its textbox role and points at the active option). ↑↓ move, Enter picks, Esc dismisses, a tap picks. It only offers:
// running a command is the caller's `pick`.
import { h } from './element.ts';
import { argFor, paletteFor, unknownMessage, type SlashCommand, type SlashPlace } from './slash-commands.ts';

/**
 * Wire the palette. `combo` wraps `input` and `list` (index.html). `say` shows a line under the box: the unknown-command
 * note while one is typed, '' to clear. `pick` runs a chosen command with the argument typed after its name ('' none).
 */
export function mountSlashPalette(deps: {
  input: HTMLTextAreaElement;
  combo: HTMLElement;
  list: HTMLUListElement;
  place: SlashPlace;
  say(message: string): void;
  pick(command: SlashCommand, arg: string): void;
}): void {
  const { input, combo, list } = deps;
  const doc = input.ownerDocument;
  let shown: SlashCommand[] = [];
  let active = 0;
  /** The text the owner dismissed the palette for (Esc): it stays closed until the text changes. */
  let dismissedFor: string | null = null;

  const optionId = (command: SlashCommand): string => `${list.id}-${command.name}`;

  const setActive = (index: number): void => {
    active = (index + shown.length) % shown.length;
    list.querySelectorAll<HTMLElement>('[role="option"]').forEach((option, i) => option.setAttribute('aria-selected', String(i === active)));
    const command = shown[active];
    if (command) {
      input.setAttribute('aria-activedescendant', optionId(command));
      doc.getElementById(optionId(command))?.scrollIntoView({ block: 'nearest' });
    }
  };

  const hide = (): void => {
    shown = [];
    list.hidden = true;
    list.replaceChildren();
    combo.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };

  const option = (command: SlashCommand, index: number): HTMLLIElement => {
    const item = h(
      doc,
      'li',
      { className: 'slash-option', attrs: { id: optionId(command), role: 'option', 'aria-selected': 'false' }, data: { command: command.name } },
      h(doc, 'span', { className: 'slash-name', text: `/${command.name}` }),
      ...(command.arg ? [h(doc, 'span', { className: 'slash-arg', text: command.arg })] : []),
      h(doc, 'span', { className: 'slash-help', text: command.help }),
    );
    // Keep the focus (and a phone's keyboard) in the box: the tap's click still picks.
    item.addEventListener('mousedown', (event) => event.preventDefault());
    item.addEventListener('click', () => choose(index));
    return item;
  };

  /** Redraw; `typed`: the text changed, so a line from before (a command's outcome) is stale and goes. */
  const draw = (typed: boolean): void => {
    if (dismissedFor !== null && dismissedFor !== input.value) dismissedFor = null;
    const view = dismissedFor === null ? paletteFor(input.value, deps.place) : null;
    if (typed) deps.say(view?.unknown ? unknownMessage(view.unknown) : '');
    if (!view || view.commands.length === 0) return hide();
    const same = view.commands.length === shown.length && view.commands.every((c, i) => c === shown[i]);
    if (same && !list.hidden) return;
    shown = view.commands;
    list.replaceChildren(...shown.map(option));
    list.hidden = false;
    combo.setAttribute('aria-expanded', 'true');
    setActive(0);
  };

  const choose = (index: number): void => {
    const command = shown[index];
    if (!command) return;
    const arg = argFor(input.value, command);
    hide();
    deps.pick(command, arg);
  };

  input.addEventListener('input', () => draw(true));
  input.addEventListener('focus', () => draw(false));
  // Capture on the wrapper: a key the palette takes never reaches the box's own handlers (Ctrl+Enter sends).
  combo.addEventListener(
    'keydown',
    (event) => {
      if (event.target !== input || list.hidden || shown.length === 0 || event.isComposing) return;
      const keys: Record<string, () => void> = {
        ArrowDown: () => setActive(active + 1),
        ArrowUp: () => setActive(active - 1),
        Enter: () => choose(active),
        Escape: () => {
          dismissedFor = input.value;
          hide();
        },
      };
      const act = event.shiftKey || event.altKey ? undefined : keys[event.key];
      if (!act) return;
      event.preventDefault();
      event.stopPropagation();
      act();
    },
    { capture: true },
  );
  hide();
}
