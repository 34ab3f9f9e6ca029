// The composer's image picker: "Attach image" (camera or library) and, on touch phones, "Take photo"; each picked
// image is prepared (attach-image.ts), uploaded at once and shown as a thumbnail with its state and a remove button.
// The composer reads ids() when it creates the task (the seam in the issue 5 notes); it never sees the bytes.
import { MAX_ATTACHMENTS_PER_TASK, type AttachmentView, type CreateAttachmentRequest } from '../protocol/index.ts';
import { errorLine } from './api-error.ts';
import { bytesToBase64 } from './attach-base64.ts';
import { prepareImage } from './attach-image.ts';
import { h, required, showMessage } from './element.ts';

/** What the composer uses: uploaded ids in order, whether an upload is still running, clearing after a task. */
export type AttachmentPicker = { ids(): string[]; pending(): boolean; clear(): void; onChange(listener: () => void): void };

type State = 'preparing' | 'uploading' | 'done' | 'failed';
type Item = { name: string; state: State; id: string | null; url: string | null; error: string; removed: boolean };

const STATE_TEXT: Record<State, string> = { preparing: 'Preparing…', uploading: 'Uploading…', done: 'Attached', failed: 'Not attached' };

/**
 * Wire the picker inside `root` (#attachments: #attach-image, #take-photo, #attach-input, #photo-input,
 * #attachment-list, #attach-error). Uploads go through `api`; an unexpected failure goes to `report`.
 */
export function mountAttachmentPicker(deps: {
  root: HTMLElement;
  api: { createAttachment(request: CreateAttachmentRequest): Promise<AttachmentView>; deleteAttachment(id: string): Promise<void> };
  report(error: unknown): void;
}): AttachmentPicker {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const libraryInput = required(root, '#attach-input', HTMLInputElement);
  const photoInput = required(root, '#photo-input', HTMLInputElement);
  const takePhoto = required(root, '#take-photo', HTMLButtonElement);
  const list = required(root, '#attachment-list', HTMLUListElement);
  const error = required(root, '#attach-error', HTMLElement);
  const listeners: Array<() => void> = [];
  let items: Item[] = [];

  const live = (): Item[] => items.filter((item) => !item.removed);
  const changed = (): void => {
    draw();
    for (const listener of listeners) listener();
  };

  function draw(): void {
    const shown = live();
    list.hidden = shown.length === 0;
    list.replaceChildren(
      ...shown.map((item) => {
        const thumb = item.url ? h(doc, 'img', { className: 'attachment-thumb', attrs: { src: item.url, alt: '' } }) : h(doc, 'span', { className: 'attachment-thumb' });
        const status = h(doc, 'span', { className: 'attachment-state', text: item.state === 'failed' ? item.error : STATE_TEXT[item.state] });
        const remove = h(doc, 'button', { className: 'attachment-remove secondary', text: '✕', attrs: { type: 'button', 'aria-label': `Remove ${item.name}` } });
        remove.addEventListener('click', () => discard(item));
        const text = h(doc, 'span', { className: 'attachment-text' }, h(doc, 'span', { className: 'attachment-name', text: item.name }), status);
        return h(doc, 'li', { className: 'attachment', data: { state: item.state } }, thumb, text, remove);
      }),
    );
  }

  const settled = (item: Item): boolean => item.state === 'done' || item.state === 'failed';

  /**
   * Remove an image: its thumbnail goes at once. An uploaded one is deleted on the Worker (best effort: unbound
   * leftovers expire there anyway); one still on its way is dropped by add() when it gets there.
   */
  function discard(item: Item): void {
    item.removed = true;
    if (item.url) URL.revokeObjectURL(item.url);
    if (item.id) api.deleteAttachment(item.id).catch(() => undefined);
    if (settled(item)) items = items.filter((other) => other !== item);
    changed();
  }

  /** Prepare and upload `file` into `item` (state, name, thumbnail, id); stops early once the owner removed it. */
  async function upload(item: Item, file: File): Promise<void> {
    const prepared = await prepareImage(doc, file);
    if (!prepared.ok) {
      Object.assign(item, { state: 'failed', error: prepared.reason });
      return;
    }
    if (item.removed) return;
    Object.assign(item, { state: 'uploading', name: prepared.name, url: URL.createObjectURL(prepared.blob) });
    changed();
    const data = bytesToBase64(new Uint8Array(await prepared.blob.arrayBuffer()));
    const view = await api.createAttachment({ name: prepared.name, mediaType: prepared.mediaType, data });
    Object.assign(item, { state: 'done', id: view.id });
    if (item.removed) api.deleteAttachment(view.id).catch(() => undefined);
  }

  async function add(file: File): Promise<void> {
    const item: Item = { name: file.name || 'image', state: 'preparing', id: null, url: null, error: '', removed: false };
    items.push(item);
    changed();
    try {
      await upload(item, file);
    } catch (failure) {
      Object.assign(item, { state: 'failed', error: errorLine(failure) });
    }
    if (item.removed) items = items.filter((other) => other !== item);
    changed();
  }

  function picked(input: HTMLInputElement): void {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same photo may be picked again after removing it
    const room = MAX_ATTACHMENTS_PER_TASK - live().filter((item) => item.state !== 'failed').length;
    showMessage(error, files.length > room ? `At most ${MAX_ATTACHMENTS_PER_TASK} images per task: ${files.length - Math.max(0, room)} not added.` : '');
    for (const file of files.slice(0, Math.max(0, room))) add(file).catch(deps.report);
  }

  required(root, '#attach-image', HTMLButtonElement).addEventListener('click', () => libraryInput.click());
  takePhoto.addEventListener('click', () => photoInput.click());
  libraryInput.addEventListener('change', () => picked(libraryInput));
  photoInput.addEventListener('change', () => picked(photoInput));
  // A separate camera button only where a camera is likely (touch phones): elsewhere it would open the same picker.
  takePhoto.hidden = !(win?.matchMedia('(pointer: coarse)').matches ?? false);

  return {
    ids: () => live().flatMap((item) => (item.state === 'done' && item.id ? [item.id] : [])),
    pending: () => live().some((item) => item.state === 'preparing' || item.state === 'uploading'),
    clear() {
      for (const item of items) {
        if (item.url) URL.revokeObjectURL(item.url);
        item.removed = true; // one still uploading is deleted when it lands; the rest are on the new task now
      }
      items = [];
      showMessage(error, '');
      changed();
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
