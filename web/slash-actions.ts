// What each slash command does, from either box: /help (a sheet), /new, /abort (slash-abort.ts), /model (the chip or
// its picker), /switch (the backend picker), /resume (slash-resume.ts). The boxes decide what is a command.
import type { Api } from './api.ts';
import { errorLine } from './api-error.ts';
import { h } from './element.ts';
import type { Route } from './routes.ts';
import { runAbort } from './slash-abort.ts';
import { backendArg, modelArg, takesModel } from './slash-args.ts';
import { SLASH_COMMANDS, type SlashCommand, type SlashPlace } from './slash-commands.ts';
import { openModelPicker, type ModelChip } from './slash-model.ts';
import { focusWhenShown, openResumePicker } from './slash-resume.ts';
import type { Sheet } from './slash-sheet.ts';

/** The composer as the commands see it. */
export type ComposerControls = {
  backend: HTMLSelectElement;
  model: ModelChip;
  /** Empty the prompt (and its attachments) and focus it. */
  reset(): void;
};

/** The box a command was typed in, and the line under it for the command's outcome. */
export type SlashSource = { place: SlashPlace; say(message: string): void };

export type SlashActions = { run(command: SlashCommand, arg: string, from: SlashSource): void };

export function createSlashActions(deps: {
  doc: Document;
  sheet: Sheet;
  api: Pick<Api, 'getTask' | 'listTasks' | 'cancelTask'>;
  composer: ComposerControls;
  /** The open session's message box (#follow-up) and the task view holding it. */
  followUp: { box: HTMLTextAreaElement; view: HTMLElement };
  openTaskId(): string | null;
  navigate(route: Route): void;
  now(): number;
  report(error: unknown): void;
}): SlashActions {
  const { doc, sheet, composer } = deps;
  const offered = (): string[] => [...composer.backend.options].map((o) => o.value);

  const help = (from: SlashSource): void => {
    const rows = SLASH_COMMANDS.map((c) =>
      h(
        doc,
        'li',
        { className: 'help-row', data: { command: c.name }, ...(c.places.includes(from.place) ? {} : { attrs: { 'aria-disabled': 'true' } }) },
        h(doc, 'span', { className: 'slash-name', text: `/${c.name}` }),
        ...(c.arg ? [h(doc, 'span', { className: 'slash-arg', text: c.arg })] : []),
        h(doc, 'span', { className: 'slash-help', text: c.help }),
      ),
    );
    const note =
      from.place === 'follow-up'
        ? 'In a session’s message box, /model, /switch and any other /command are typed into the CLI.'
        : 'A prompt that only starts with “/” (a path) is sent as it is.';
    sheet.open({ name: 'help', title: 'Commands', body: [h(doc, 'ul', { className: 'help-list' }, ...rows), h(doc, 'p', { className: 'muted sheet-note', text: note })] });
  };

  const setBackend = (value: string, from: SlashSource): void => {
    composer.backend.value = value;
    composer.backend.dispatchEvent(new Event('change', { bubbles: true }));
    const model = composer.model.current();
    from.say(`Backend: ${value}${model ? ` (model ${model})` : ''}.`);
  };

  const switchTo = (arg: string, from: SlashSource): void => {
    if (arg === '') {
      const choices = offered().map((value) => {
        const button = h(doc, 'button', {
          className: 'sheet-choice secondary',
          text: value,
          attrs: { type: 'button', 'aria-pressed': String(value === composer.backend.value) },
          data: { backend: value },
        });
        button.addEventListener('click', () => {
          sheet.close();
          setBackend(value, from);
        });
        return h(doc, 'li', {}, button);
      });
      const body = choices.length ? [h(doc, 'ul', { className: 'sheet-choices' }, ...choices)] : [h(doc, 'p', { className: 'muted', text: 'The home agent offers no backends.' })];
      return sheet.open({ name: 'switch', title: 'Backend', body });
    }
    const result = backendArg(arg, offered());
    if (result.ok) setBackend(result.value, from);
    else from.say(result.message);
  };

  const chooseModel = (model: string | null, from: SlashSource): void => {
    composer.model.set(model);
    from.say(model ? `Model for ${composer.backend.value}: ${model}.` : `Model for ${composer.backend.value}: the CLI’s default.`);
  };

  const model = (arg: string, from: SlashSource): void => {
    const backend = composer.backend.value;
    if (arg === '' && takesModel(backend)) {
      return openModelPicker({ doc, sheet, backend, current: composer.model.current(), choose: (m) => chooseModel(m, from) });
    }
    const result = modelArg(arg, backend);
    if (result.ok) chooseModel(result.value, from);
    else from.say(result.message);
  };

  const resume = (from: SlashSource): Promise<void> =>
    openResumePicker({
      doc,
      sheet,
      api: deps.api,
      now: deps.now,
      open: (taskId, session) => {
        deps.navigate({ kind: 'task', taskId });
        if (session) focusWhenShown(deps.followUp.box, deps.followUp.view);
      },
    }).catch((failure: unknown) => from.say(errorLine(failure)));

  return {
    run(command, arg, from) {
      from.say('');
      switch (command.name) {
        case 'help':
          return help(from);
        case 'new':
          deps.navigate({ kind: 'home' });
          return composer.reset();
        case 'abort':
          return void runAbort({ doc, sheet, api: deps.api, openTaskId: deps.openTaskId, say: from.say }).catch(deps.report);
        case 'model':
          return model(arg, from);
        case 'switch':
          return switchTo(arg, from);
        case 'resume':
          return void resume(from);
      }
    },
  };
}
