// One text box with the composer tools: the slash palette, the line under the box for commands' outcomes, and the
// dictation button. In a session's box it also runs a typed Hearth command on Send instead of typing it into the CLI.
import { classify, type SlashCommand, type SlashPlace } from './slash-commands.ts';
import { mountSlashPalette } from './slash-palette.ts';
import type { SlashActions, SlashSource } from './slash-actions.ts';
import { showMessage } from './element.ts';
import { mountVoiceInput } from './voice-input.ts';

export type SlashBox = SlashSource & {
  /** Run `command` as if picked: the box is emptied first (the command's text is not a prompt). */
  run(command: SlashCommand, arg: string): void;
};

/**
 * Wire a box. `status` is its outcome line (role=status). `form`, for a session's box only: its submit of a command
 * is taken here, in the capture phase on the form's parent, before the form's own handler would send it.
 */
export function mountSlashBox(deps: {
  input: HTMLTextAreaElement;
  combo: HTMLElement;
  list: HTMLUListElement;
  status: HTMLElement;
  mic: HTMLButtonElement;
  place: SlashPlace;
  actions: SlashActions;
  win: Window;
  form?: HTMLFormElement;
}): SlashBox {
  const { input, place } = deps;
  const say = (message: string): void => showMessage(deps.status, message);
  const box: SlashBox = {
    place,
    say,
    run(command, arg) {
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      deps.actions.run(command, arg, box);
    },
  };
  mountSlashPalette({ input, combo: deps.combo, list: deps.list, place, say, pick: box.run });
  mountVoiceInput({ button: deps.mic, input, win: deps.win, say });
  const form = deps.form;
  form?.parentElement?.addEventListener(
    'submit',
    (event) => {
      if (event.target !== form) return;
      const typed = classify(input.value, place);
      if (typed.kind !== 'command') return;
      event.preventDefault();
      event.stopPropagation();
      box.run(typed.command, typed.arg);
    },
    { capture: true },
  );
  return box;
}
