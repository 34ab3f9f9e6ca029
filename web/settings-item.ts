// The building blocks of the settings lists: one item (title, badge, facts, buttons), an inline "are you sure?" strip
// under it, and the sentence for a failed action. DOM only through element.ts; text always as textContent.
import { describeError } from './api-error.ts';
import { h } from './element.ts';
import { describePasskeyError } from './passkey-error.ts';
import type { ItemText } from './settings-text.ts';

/** A list item: `<li class="settings-item">` with its text and a row of `actions` (buttons) when there are any. */
export function settingsItem(doc: Document, text: ItemText, actions: HTMLElement[], data: Record<string, string> = {}): HTMLLIElement {
  const head = h(doc, 'div', { className: 'item-head' }, h(doc, 'span', { className: 'item-title', text: text.title }));
  if (text.badge) head.append(h(doc, 'span', { className: 'badge', text: text.badge }));
  const facts = h(doc, 'div', { className: 'item-facts' }, ...text.facts.map((fact) => h(doc, 'span', { text: fact })));
  const item = h(doc, 'li', { className: 'settings-item', data }, head, facts);
  if (actions.length) item.append(h(doc, 'div', { className: 'item-actions' }, ...actions));
  return item;
}

/** A button with visible `text` and the accessible name `label` (which says what it acts on). */
export function actionButton(doc: Document, text: string, label: string, className = 'secondary'): HTMLButtonElement {
  return h(doc, 'button', { className, text, attrs: { type: 'button', 'aria-label': label } });
}

/**
 * Ask `question` in a strip at the end of `item`, with a danger button `confirmText` (accessible name
 * `confirmLabel`) and "Keep". Resolves true on confirm, false on Keep; the strip is removed either way. A second
 * question on the same item replaces the first (which resolves false).
 */
export function confirmInline(item: HTMLElement, question: string, confirmText: string, confirmLabel: string): Promise<boolean> {
  const doc = item.ownerDocument;
  item.querySelector<HTMLButtonElement>('.confirm [data-answer="keep"]')?.click();
  return new Promise((resolve) => {
    const yes = h(doc, 'button', { className: 'danger', text: confirmText, attrs: { type: 'button', 'aria-label': confirmLabel }, data: { answer: 'confirm' } });
    const no = h(doc, 'button', { className: 'secondary', text: 'Keep', attrs: { type: 'button' }, data: { answer: 'keep' } });
    const strip = h(doc, 'div', { className: 'confirm', attrs: { role: 'group', 'aria-label': question } }, h(doc, 'p', { text: question }), h(doc, 'div', { className: 'confirm-buttons' }, yes, no));
    const answer = (value: boolean) => () => {
      strip.remove();
      resolve(value);
    };
    yes.addEventListener('click', answer(true));
    no.addEventListener('click', answer(false));
    item.append(strip);
    no.focus();
  });
}

/** One line for a failed action: the passkey prompt's own sentence, else the API error's title and detail. */
export function failureText(failure: unknown): string {
  const prompt = describePasskeyError(failure);
  if (prompt !== null) return prompt;
  const { title, detail } = describeError(failure);
  return detail ? `${title}: ${detail}` : title;
}
