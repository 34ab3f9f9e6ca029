// The images a task carries, as the task view lists them: name, size, and whether the home agent has them yet.
// The bytes are never shown here (the Worker drops them once the agent has them); only the envelope.
import type { AttachmentView, TaskView } from '../protocol/index.ts';
import { h } from './element.ts';

/** A size for people: `812 B`, `14 KB`, `1.4 MB` (decimal units, as phones show file sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** One line per attachment: `receipt.png · 14 KB · at home` (or `· not at home yet`). */
export function attachmentLine(a: AttachmentView): string {
  return `${a.name} · ${formatBytes(a.bytes)} · ${a.receivedAt === null ? 'not at home yet' : 'at home'}`;
}

/** Draw `view.attachments` into `list` (hidden when there are none). Text goes in as textContent only. */
export function drawTaskAttachments(list: HTMLUListElement, view: TaskView): void {
  const items = view.attachments ?? [];
  list.replaceChildren(
    ...items.map((a) => h(list.ownerDocument, 'li', { text: attachmentLine(a), data: { received: String(a.receivedAt !== null) } })),
  );
  list.hidden = items.length === 0;
}
