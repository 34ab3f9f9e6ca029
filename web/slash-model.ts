// The model for the next task (/model): a removable chip next to the backend picker, remembered per backend in
// storage (an AI CLI's model means nothing to another), never for the shell; and the picker /model shows without a
// name (common names for the backend, plus free text).
import { h } from './element.ts';
import { modelArg, modelSuggestions, takesModel } from './slash-args.ts';
import type { Sheet } from './slash-sheet.ts';

export type ModelChip = {
  /** The model to send for the selected backend, or null (none chosen, or the shell). */
  current(): string | null;
  /** Choose `model` for the selected backend (null removes it) and remember it. */
  set(model: string | null): void;
  /** The backend changed: show its remembered model. */
  sync(): void;
};

/** localStorage key of the model remembered for `backend` (a name only: nothing secret). */
const keyOf = (backend: string): string => `hearth.model.${backend}`;

/**
 * Wire the chip (#model-chip with #model-chip-name and #model-chip-remove) to the backend `<select>`. Storage may fail
 * (private mode): the model then lasts until the page reloads.
 */
export function mountModelChip(deps: {
  chip: HTMLElement;
  name: HTMLElement;
  remove: HTMLButtonElement;
  backend: HTMLSelectElement;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}): ModelChip {
  const memory = new Map<string, string | null>();
  const recall = (backend: string): string | null => {
    if (memory.has(backend)) return memory.get(backend) ?? null;
    let stored: string | null = null;
    try {
      stored = deps.storage.getItem(keyOf(backend));
    } catch {
      stored = null;
    }
    // A stored value is checked like a typed one: storage is input too.
    const valid = stored !== null && modelArg(stored, backend).ok ? stored : null;
    memory.set(backend, valid);
    return valid;
  };
  const current = (): string | null => (takesModel(deps.backend.value) ? recall(deps.backend.value) : null);
  const draw = (): void => {
    const model = current();
    deps.chip.hidden = model === null;
    deps.name.textContent = model ?? '';
    deps.remove.setAttribute('aria-label', model ? `Remove the model ${model}` : 'Remove the model');
  };
  const set = (model: string | null): void => {
    const backend = deps.backend.value;
    memory.set(backend, model);
    try {
      if (model === null) deps.storage.removeItem(keyOf(backend));
      else deps.storage.setItem(keyOf(backend), model);
    } catch {
      // remembered for this page only
    }
    draw();
  };
  deps.remove.addEventListener('click', () => set(null));
  deps.backend.addEventListener('change', draw);
  draw();
  return { current, set, sync: draw };
}

/**
 * The picker /model shows without a name: a button per common name for `backend`, a free-text field, and "CLI
 * default" (removes the chip). `choose` gets the picked name (null: the default); a bad typed name is explained inline.
 */
export function openModelPicker(deps: { doc: Document; sheet: Sheet; backend: string; current: string | null; choose(model: string | null): void }): void {
  const { doc, sheet, backend } = deps;
  const pick = (model: string | null): void => {
    sheet.close();
    deps.choose(model);
  };
  const choice = (label: string, model: string | null): HTMLLIElement => {
    const button = h(doc, 'button', {
      className: 'sheet-choice secondary',
      text: label,
      attrs: { type: 'button', 'aria-pressed': String(model === deps.current) },
      data: { model: model ?? '' },
    });
    button.addEventListener('click', () => pick(model));
    return h(doc, 'li', {}, button);
  };
  const input = h(doc, 'input', {
    className: 'sheet-input',
    attrs: { id: 'model-name', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '64', placeholder: 'another model name', enterkeyhint: 'done' },
  });
  const error = h(doc, 'p', { className: 'error', attrs: { role: 'alert' } });
  error.hidden = true;
  const form = h(
    doc,
    'form',
    { className: 'sheet-form', attrs: { novalidate: '' } },
    h(doc, 'label', { className: 'label', text: 'Or type a model name', attrs: { for: 'model-name' } }),
    h(doc, 'div', { className: 'sheet-row' }, input, h(doc, 'button', { text: 'Use', attrs: { type: 'submit' } })),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const result = modelArg(input.value.trim(), backend);
    if (result.ok) return pick(result.value);
    error.textContent = result.message;
    error.hidden = false;
  });
  sheet.open({
    name: 'model',
    title: `Model for ${backend}`,
    body: [
      h(doc, 'ul', { className: 'sheet-choices' }, ...modelSuggestions(backend).map((name) => choice(name, name)), choice('CLI default', null)),
      form,
      h(doc, 'p', { className: 'muted sheet-note', text: 'Used for the next tasks on this backend. The CLI decides which names exist.' }),
    ],
  });
}
