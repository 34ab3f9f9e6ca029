// The composer: pick a workspace and backend the home agent offers, type a prompt, Run. Shows API errors inline.
// Talks to the Worker only through the injected api; never reads the room.
import type { TaskView, WorkspaceList } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { describeError } from './api-error.ts';
import { h, required, showMessage } from './element.ts';
import { promptSize } from './prompt-size.ts';

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

/** localStorage keys for the last workspace and backend used (names only: nothing secret). */
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
 * Wire the composer inside `root` (needs #workspace, #backend, #prompt, #prompt-bytes, #run, #composer-error,
 * #agent-note). `onCreated` gets the new task after a 201.
 */
export function mountComposer(deps: {
  root: HTMLElement;
  api: Pick<Api, 'workspaces' | 'createTask'>;
  /** Remembers the last workspace and backend across reloads (the page passes localStorage). */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  onCreated(task: TaskView): void;
  /** Where an unexpected failure goes (a bug: every expected one is shown inline). */
  report(error: unknown): void;
}): Composer {
  const { root, api } = deps;
  const form = required(root, '#composer', HTMLFormElement);
  const workspace = required(root, '#workspace', HTMLSelectElement);
  const backend = required(root, '#backend', HTMLSelectElement);
  const prompt = required(root, '#prompt', HTMLTextAreaElement);
  const bytes = required(root, '#prompt-bytes', HTMLElement);
  const run = required(root, '#run', HTMLButtonElement);
  const error = required(root, '#composer-error', HTMLElement);
  const note = required(root, '#agent-note', HTMLElement);
  let available = false;
  let sending = false;

  const update = (): void => {
    const size = promptSize(prompt.value);
    bytes.textContent = size.label;
    bytes.dataset['over'] = String(size.over);
    // Over the limit Run stays enabled: tapping it explains the limit instead of doing nothing.
    run.disabled = sending || !available || prompt.value.trim() === '';
  };

  const submit = async (): Promise<void> => {
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
      const task = await api.createTask({ workspace: workspace.value, backend: backend.value, prompt: prompt.value });
      prompt.value = '';
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
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
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
