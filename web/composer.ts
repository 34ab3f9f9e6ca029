// The composer: pick a workspace and backend the home agent offers (and a model, with /model), type or dictate a
// prompt, Run. Slash commands run from here and from an open session's box (slash-*.ts). Shows API errors inline.
// Talks to the Worker only through the injected api; never reads the room.
import type { TaskView, WorkspaceList } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { describeError } from './api-error.ts';
import { h, required, showMessage } from './element.ts';
import type { AttachmentPicker } from './attach-picker.ts';
import { promptSize } from './prompt-size.ts';
import type { Route } from './routes.ts';
import { createSlashActions } from './slash-actions.ts';
import { mountSlashBox } from './slash-box.ts';
import { classify, unknownMessage } from './slash-commands.ts';
import { mountModelChip } from './slash-model.ts';
import { createSheet } from './slash-sheet.ts';

export type Composer = {
  /** Refetch GET /api/workspaces and refill the selects (keeps the current choice when still offered). */
  refresh(): Promise<void>;
};

/** Replace a select's options with `values`, selecting the first of `preferred` that is among them. */
function fillSelect(select: HTMLSelectElement, values: readonly string[], preferred: ReadonlyArray<string | null>): void {
  const doc = select.ownerDocument;
  const keep = preferred.find((value) => value !== null && values.includes(value));
  select.replaceChildren(...values.map((value) => h(doc, 'option', { text: value, attrs: { value } })));
  if (keep) select.value = keep;
  select.disabled = values.length === 0;
}

/** localStorage keys for the last workspace and backend used (names only: nothing secret). The model: slash-model.ts. */
const LAST_WORKSPACE = 'hearth.lastWorkspace';
const LAST_BACKEND = 'hearth.lastBackend';

/** Storage may be unavailable (private mode, disabled cookies): remembering is a nicety, so failures are ignored. */
function recall(storage: Pick<Storage, 'getItem'>, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}
function remember(storage: Pick<Storage, 'setItem'>, key: string, value: string): void {
  try {
    storage.setItem(key, value);
  } catch {
    // not remembered: the next visit starts from the first option
  }
}

/** The note above the composer for what the agents offer, or '' when all is well. */
function availabilityNote(list: WorkspaceList): string {
  if (list.agents.length === 0) return 'No home agent connected — pair one with `hearth login` on your computer.';
  if (list.workspaces.length === 0) return 'The home agent offers no workspaces: allowlist one in its config.';
  if (list.backends.length === 0) return 'The home agent offers no backends.';
  return '';
}

/**
 * Wire the composer inside `root` (needs #workspace, #backend, #model-chip…, #prompt in #prompt-combo with
 * #prompt-palette, #composer-status, #prompt-mic, #prompt-bytes, #run, #composer-error, #agent-note) and the slash
 * tools of the session box in `followUpRoot` (#follow-up-form, #follow-up in #follow-up-combo, #follow-up-palette,
 * #follow-up-status, #follow-up-mic). `onCreated` gets the new task after a 201.
 */
export function mountComposer(deps: {
  root: HTMLElement;
  /** The task view: its open session's message box gets the slash palette and dictation too. */
  followUpRoot: HTMLElement;
  api: Pick<Api, 'workspaces' | 'createTask' | 'listTasks' | 'getTask' | 'cancelTask'>;
  /** Remembers the last workspace, backend and per-backend model across reloads (the page passes localStorage). */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Images to send with the prompt: Run waits while one uploads; their ids go with the task. */
  attachments?: AttachmentPicker;
  /** The task shown in the task view (/abort's target), or null on the home page. */
  openTaskId(): string | null;
  navigate(route: Route): void;
  /** Epoch ms. */
  now(): number;
  onCreated(task: TaskView): void;
  /** Where an unexpected failure goes (a bug: every expected one is shown inline). */
  report(error: unknown): void;
}): Composer {
  const { root, api, attachments } = deps;
  const doc = root.ownerDocument;
  const win = doc.defaultView ?? window;
  const form = required(root, '#composer', HTMLFormElement);
  const workspace = required(root, '#workspace', HTMLSelectElement);
  const backend = required(root, '#backend', HTMLSelectElement);
  const prompt = required(root, '#prompt', HTMLTextAreaElement);
  const bytes = required(root, '#prompt-bytes', HTMLElement);
  const run = required(root, '#run', HTMLButtonElement);
  const error = required(root, '#composer-error', HTMLElement);
  const note = required(root, '#agent-note', HTMLElement);
  const model = mountModelChip({
    chip: required(root, '#model-chip', HTMLElement),
    name: required(root, '#model-chip-name', HTMLElement),
    remove: required(root, '#model-chip-remove', HTMLButtonElement),
    backend,
    storage: deps.storage,
  });
  let available = false;
  let sending = false;

  const update = (): void => {
    const size = promptSize(prompt.value);
    bytes.textContent = size.label;
    bytes.dataset['over'] = String(size.over);
    bytes.dataset['near'] = String(size.near);
    // Over the limit Run stays enabled: tapping it explains the limit instead of doing nothing.
    run.disabled = sending || !available || prompt.value.trim() === '' || (attachments?.pending() ?? false);
  };

  const followUpBox = required(deps.followUpRoot, '#follow-up', HTMLTextAreaElement);
  const actions = createSlashActions({
    doc,
    sheet: createSheet(doc),
    api,
    composer: {
      backend,
      model,
      reset() {
        prompt.value = '';
        attachments?.clear();
        showMessage(error, '');
        update();
        prompt.focus();
      },
    },
    followUp: { box: followUpBox, view: deps.followUpRoot },
    openTaskId: deps.openTaskId,
    navigate: deps.navigate,
    now: deps.now,
    report: deps.report,
  });
  const box = mountSlashBox({
    input: prompt,
    combo: required(root, '#prompt-combo', HTMLElement),
    list: required(root, '#prompt-palette', HTMLUListElement),
    status: required(root, '#composer-status', HTMLElement),
    mic: required(root, '#prompt-mic', HTMLButtonElement),
    place: 'composer',
    actions,
    win,
  });
  mountSlashBox({
    input: followUpBox,
    combo: required(deps.followUpRoot, '#follow-up-combo', HTMLElement),
    list: required(deps.followUpRoot, '#follow-up-palette', HTMLUListElement),
    status: required(deps.followUpRoot, '#follow-up-status', HTMLElement),
    mic: required(deps.followUpRoot, '#follow-up-mic', HTMLButtonElement),
    place: 'follow-up',
    actions,
    win,
    form: required(deps.followUpRoot, '#follow-up-form', HTMLFormElement),
  });
  attachments?.onChange(update);

  const submit = async (): Promise<void> => {
    // A known command runs whatever the agents offer; only a prompt needs Run to be enabled.
    const typed = classify(prompt.value, 'composer');
    if (typed.kind === 'command') return box.run(typed.command, typed.arg);
    if (typed.kind === 'unknown') return box.say(unknownMessage(typed.word));
    if (run.disabled) return;
    const size = promptSize(prompt.value);
    if (size.over) {
      showMessage(error, `Too large: the prompt is ${size.bytes} bytes; the limit is 64 KiB (65536 bytes).`);
      return;
    }
    sending = true;
    showMessage(error, '');
    update();
    try {
      const chosen = model.current();
      const ids = attachments?.ids() ?? [];
      const task = await api.createTask({
        workspace: workspace.value,
        backend: backend.value,
        prompt: prompt.value,
        ...(chosen ? { model: chosen } : {}),
        ...(ids.length ? { attachmentIds: ids } : {}),
      });
      prompt.value = '';
      attachments?.clear();
      remember(deps.storage, LAST_WORKSPACE, task.workspace);
      remember(deps.storage, LAST_BACKEND, task.backend);
      deps.onCreated(task);
    } catch (failure) {
      const { title, detail } = describeError(failure);
      showMessage(error, detail ? `${title}: ${detail}` : title);
    } finally {
      sending = false;
      update();
    }
  };

  prompt.addEventListener('input', update);
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey) && !event.defaultPrevented) {
      event.preventDefault();
      submit().catch(deps.report);
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit().catch(deps.report);
  });

  return {
    async refresh() {
      try {
        const list = await api.workspaces();
        fillSelect(workspace, list.workspaces, [workspace.value, recall(deps.storage, LAST_WORKSPACE)]);
        fillSelect(backend, list.backends, [backend.value, recall(deps.storage, LAST_BACKEND)]);
        model.sync();
        const message = availabilityNote(list);
        showMessage(note, message);
        available = message === '';
      } catch (failure) {
        const { title, detail } = describeError(failure);
        showMessage(note, detail ? `${title}: ${detail}` : title);
        available = false;
      }
      update();
    },
  };
}
