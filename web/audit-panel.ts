// Settings → Activity (#audit): the owner's audit log from GET /api/audit, newest first, "Older" pages further back,
// and the chain's status from the Worker's check shown above it. Display only: the log cannot be changed from here.
import type { AuditEntry } from '../protocol/index.ts';
import type { Api } from './api.ts';
import { appendAuditPage, firstAuditPage, type AuditPages } from './audit-pages.ts';
import { auditLine, chainStatus, type AuditContext } from './audit-line.ts';
import { h, required, showMessage } from './element.ts';
import { relativeTime } from './relative-time.ts';
import { routePath } from './routes.ts';
import { failureText } from './settings-item.ts';

export type AuditPanel = {
  /** Load the first page again (entries and chain status), naming actors with `context`. */
  refresh(context: AuditContext): Promise<void>;
};

function entryItem(doc: Document, entry: AuditEntry, context: AuditContext, nowMs: number): HTMLLIElement {
  const line = auditLine(entry, context);
  const action = line.taskId
    ? h(doc, 'a', { className: 'item-title', text: line.action, attrs: { href: routePath({ kind: 'task', taskId: line.taskId }) } })
    : h(doc, 'span', { className: 'item-title', text: line.action });
  const when = h(doc, 'time', { text: relativeTime(entry.at, nowMs), attrs: { datetime: new Date(entry.at).toISOString(), title: new Date(entry.at).toISOString() } });
  const facts = h(doc, 'div', { className: 'item-facts' }, when, h(doc, 'span', { text: `by ${line.who}` }));
  if (line.where) facts.append(h(doc, 'span', { text: `from ${line.where}` }));
  const head = h(doc, 'div', { className: 'item-head' }, action, h(doc, 'span', { className: 'seq', text: `#${entry.seq}` }));
  return h(doc, 'li', { className: 'settings-item', data: { seq: String(entry.seq), action: entry.action } }, head, facts);
}

/** Wire `root` (#audit-chain, #audit-list, #audit-older, #audit-error). */
export function mountAuditPanel(deps: { root: HTMLElement; api: Pick<Api, 'auditPage'>; now(): number }): AuditPanel {
  const { root, api } = deps;
  const doc = root.ownerDocument;
  const chain = required(root, '#audit-chain', HTMLElement);
  const list = required(root, '#audit-list', HTMLOListElement);
  const older = required(root, '#audit-older', HTMLButtonElement);
  const error = required(root, '#audit-error', HTMLElement);
  let generation = 0;
  let pages: AuditPages | null = null;
  let context: AuditContext = { currentSessionId: null, deviceNames: new Map() };

  const draw = (state: AuditPages): void => {
    const now = deps.now();
    const status = chainStatus(state.chain);
    chain.textContent = status.text;
    chain.dataset['state'] = status.state;
    const items = state.entries.map((entry) => entryItem(doc, entry, context, now));
    list.replaceChildren(...(items.length ? items : [h(doc, 'li', { className: 'empty', text: 'Nothing recorded yet.' })]));
    older.hidden = state.nextBefore === null;
  };

  /** Fetch one page (the first when `before` is null) and draw; a newer refresh wins over a slower older one. */
  const load = async (before: number | null): Promise<void> => {
    const mine = ++generation;
    older.disabled = true;
    try {
      const page = await api.auditPage(before ?? undefined);
      if (mine !== generation) return;
      pages = before === null || pages === null ? firstAuditPage(page) : appendAuditPage(pages, page);
      draw(pages);
      showMessage(error, '');
    } catch (failure) {
      if (mine === generation) showMessage(error, failureText(failure));
    } finally {
      if (mine === generation) older.disabled = false;
    }
  };

  older.addEventListener('click', () => {
    if (pages?.nextBefore != null) load(pages.nextBefore).catch((failure: unknown) => showMessage(error, failureText(failure)));
  });

  return {
    async refresh(next) {
      context = next;
      await load(null);
    },
  };
}
