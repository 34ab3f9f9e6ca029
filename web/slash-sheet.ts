// The bottom sheet the slash commands show (help, pickers, the /abort confirm): one modal <dialog> made on first use,
// dismissed by its Close button, Esc, or a tap outside it; focus goes back where it was. Holds no command logic.
import { h } from './element.ts';

export type Sheet = {
  /**
   * Show `body` under `title`, replacing whatever the sheet showed. `name` lands in data-sheet (styles, tests);
   * `onClose` runs once when this content goes (dismissed, closed, or replaced).
   */
  open(opts: { name: string; title: string; body: Node[]; onClose?: () => void }): void;
  close(): void;
};

/** Make the sheet in `doc` (appended to its body when first opened). */
export function createSheet(doc: Document): Sheet {
  let dialog: HTMLDialogElement | null = null;
  let content: HTMLElement | null = null;
  let heading: HTMLElement | null = null;
  let closing: (() => void) | null = null;
  let returnTo: HTMLElement | null = null;

  const finish = (): void => {
    const done = closing;
    closing = null;
    done?.();
  };

  const build = (): HTMLDialogElement => {
    heading = h(doc, 'h2', { className: 'sheet-title', attrs: { id: 'sheet-title' } });
    const close = h(doc, 'button', { className: 'secondary sheet-close', text: '✕', attrs: { type: 'button', 'aria-label': 'Close' } });
    content = h(doc, 'div', { className: 'sheet-body' });
    const made = h(
      doc,
      'dialog',
      { className: 'sheet', attrs: { 'aria-labelledby': 'sheet-title' } },
      h(doc, 'div', { className: 'sheet-inner' }, h(doc, 'div', { className: 'sheet-head' }, heading, close), content),
    );
    close.addEventListener('click', () => made.close());
    // A tap on the backdrop lands on the dialog itself (its content fills .sheet-inner).
    made.addEventListener('click', (event) => {
      if (event.target === made) made.close();
    });
    made.addEventListener('close', () => {
      finish();
      // Back where it was, unless a choice moved the focus on (a session's box after /resume).
      const active = doc.activeElement;
      const unclaimed = active === null || active === doc.body || made.contains(active);
      if (unclaimed && returnTo?.isConnected) returnTo.focus({ preventScroll: true });
      returnTo = null;
    });
    doc.body.append(made);
    return made;
  };

  return {
    open({ name, title, body, onClose }) {
      finish();
      const sheet = dialog ?? (dialog = build());
      sheet.dataset['sheet'] = name;
      if (heading) heading.textContent = title;
      content?.replaceChildren(...body);
      closing = onClose ?? null;
      // showModal focuses the first control (an `autofocus` one first); replaced content gets the same.
      if (sheet.open) content?.querySelector<HTMLElement>('[autofocus]')?.focus({ preventScroll: true });
      else {
        const active = doc.activeElement;
        returnTo = active instanceof HTMLElement ? active : null;
        sheet.showModal();
      }
    },
    close() {
      if (dialog?.open) dialog.close();
    },
  };
}
