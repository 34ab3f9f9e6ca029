// Building and finding DOM elements safely: text goes in through textContent only, never as markup.
// No state; every function takes the document or root it works on.

type Props = {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
};

/** Create `<tag>` with a class, text (as textContent), attributes and data-* values, and append `children`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: Props = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const [name, value] of Object.entries(props.data ?? {})) element.dataset[name] = value;
  element.append(...children);
  return element;
}

/**
 * The element matching `selector` under `root`, checked to be an instance of `type`.
 * Throws when it is missing: index.html and the views must agree, and a mismatch is a bug to see at once.
 */
export function required<T extends Element>(root: ParentNode, selector: string, type: new () => T): T {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`index.html lacks ${selector}`);
  return found;
}

/** Show `message` in `element` (hidden when empty). */
export function showMessage(element: HTMLElement, message: string): void {
  element.textContent = message;
  element.hidden = message === '';
}
