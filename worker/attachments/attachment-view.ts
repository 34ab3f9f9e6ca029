// Mapping attachments rows to the wire's AttachmentView (the envelope only: never the bytes), and reading a task's
// attachments in order. Reads only; binding and dropping bytes live beside it.
import { and, asc, eq } from 'drizzle-orm';
import { ImageMediaType, type AttachmentView } from '../../protocol/index.ts';
import type { Db } from '../app-env.ts';
import { attachments } from '../db/schema.ts';

/** The envelope columns: everything but `data`, so listing attachments never loads their bytes. */
export const envelopeColumns = {
  id: attachments.id,
  taskId: attachments.taskId,
  name: attachments.name,
  mediaType: attachments.mediaType,
  bytes: attachments.bytes,
  sha256: attachments.sha256,
  createdAt: attachments.createdAt,
  receivedAt: attachments.receivedAt,
};

export type EnvelopeRow = { [K in keyof typeof envelopeColumns]: (typeof attachments.$inferSelect)[K] };

/** A row's envelope as AttachmentView. */
export const toAttachmentView = (row: EnvelopeRow): AttachmentView => ({
  id: row.id,
  taskId: row.taskId,
  name: row.name,
  mediaType: ImageMediaType.parse(row.mediaType),
  bytes: row.bytes,
  sha256: row.sha256,
  createdAt: row.createdAt,
  receivedAt: row.receivedAt,
});

/** The owner's attachments bound to `taskId`, in their order on the task (position 0 first). */
export async function attachmentsOfTask(db: Db, ownerId: string, taskId: string): Promise<AttachmentView[]> {
  const rows = await db
    .select(envelopeColumns)
    .from(attachments)
    .where(and(eq(attachments.taskId, taskId), eq(attachments.ownerId, ownerId)))
    .orderBy(asc(attachments.position));
  return rows.map(toAttachmentView);
}

/** `view` with its `attachments` added when the task has any (TaskView.attachments: absent means none). */
export async function withAttachments<V extends { id: string }>(db: Db, ownerId: string, view: V): Promise<V & { attachments?: AttachmentView[] }> {
  const list = await attachmentsOfTask(db, ownerId, view.id);
  return list.length === 0 ? view : { ...view, attachments: list };
}
