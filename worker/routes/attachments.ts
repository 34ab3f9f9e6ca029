// Image attachments (issue 5). Phone (session): upload an image (checked, rate-limited, audited) and delete one not yet
// on a task. Agent (bearer): fetch an image's bytes while its task is claimed by this agent and active, and confirm
// receipt, which drops the bytes. Another owner's or agent's attachment is answered exactly like an unknown one (404).
import { Hono, type Context } from 'hono';
import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import {
  ACTIVE_STATUSES,
  AttachmentId,
  CreateAttachmentRequest,
  MAX_ATTACHMENT_BYTES,
  MAX_UNBOUND_ATTACHMENT_BYTES,
  MAX_UNBOUND_ATTACHMENTS,
  UNBOUND_ATTACHMENT_TTL_MS,
} from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../audit/audit-append.ts';
import { requireAgent } from '../auth/agent-bearer.ts';
import { requireSession } from '../auth/phone-session.ts';
import { attachments, tasks } from '../db/schema.ts';
import { readJson } from '../json-body.ts';
import { ProblemError } from '../problem.ts';
import { limitAttachmentUpload } from '../rate-limit-rules.ts';
import { checkUpload } from '../attachments/attachment-upload.ts';
import { envelopeColumns, toAttachmentView } from '../attachments/attachment-view.ts';

/**
 * Body cap for an upload, in bytes: the base64 of MAX_ATTACHMENT_BYTES (2 000 000 characters) plus room for the
 * envelope (a 128-character name JSON-escaped at 6 bytes each). The image's own limit is checked after decoding.
 */
export const ATTACHMENT_BODY_BYTES = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4 * 1024;
const IMAGE_TOO_LARGE = `the body is over ${ATTACHMENT_BODY_BYTES} bytes: an image may be at most ${MAX_ATTACHMENT_BYTES} bytes`;

/** The attachment id in the path, or a 404 when it is not a UUID (answered like an unknown one). */
function attachmentIdParam(c: Context): string {
  const parsed = AttachmentId.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ProblemError(404, 'not-found');
  return parsed.data;
}

export const attachmentRoutes = new Hono<AppEnv>();
attachmentRoutes.use('/attachments', requireSession);
attachmentRoutes.use('/attachments/*', requireSession);
attachmentRoutes.use('/agent/attachments/*', requireAgent);

const TOO_MANY_UNBOUND =
  `you already hold ${MAX_UNBOUND_ATTACHMENTS} images (or ${MAX_UNBOUND_ATTACHMENT_BYTES} bytes) not yet on a task: ` +
  'send them with a task or remove some first (unused ones are deleted after an hour)';

/**
 * Upload: 201 AttachmentView (unbound until a task names it). 400 for bad base64, size or type; 409 when the owner's
 * unbound, unexpired images would number over MAX_UNBOUND_ATTACHMENTS or weigh over MAX_UNBOUND_ATTACHMENT_BYTES.
 * Nothing is stored on a refusal. The cap is kept in one batch (insert, then delete it again when over), so parallel
 * uploads cannot pass it together.
 */
attachmentRoutes.post('/attachments', limitAttachmentUpload, async (c) => {
  const body = await readJson(c, CreateAttachmentRequest, ATTACHMENT_BODY_BYTES, IMAGE_TOO_LARGE);
  const { bytes, sha256 } = await checkUpload(body);
  const { ownerId, sessionId } = c.var.session;
  const now = c.var.deps.now();
  const id = crypto.randomUUID();
  const unbound = and(eq(attachments.ownerId, ownerId), isNull(attachments.taskId), gte(attachments.createdAt, now - UNBOUND_ATTACHMENT_TTL_MS));
  const overCapNow = sql`((select count(*) from ${attachments} where ${unbound}) > ${MAX_UNBOUND_ATTACHMENTS}
    or (select coalesce(sum(${attachments.bytes}), 0) from ${attachments} where ${unbound}) > ${MAX_UNBOUND_ATTACHMENT_BYTES})`;
  const [inserted, overCap] = await c.var.db.batch([
    c.var.db
      .insert(attachments)
      .values({ id, ownerId, name: body.name, mediaType: body.mediaType, bytes: bytes.length, sha256, data: bytes, createdAt: now })
      .returning(envelopeColumns),
    c.var.db
      .delete(attachments)
      .where(and(eq(attachments.id, id), overCapNow))
      .returning({ id: attachments.id }),
  ]);
  if (overCap.length > 0) throw new ProblemError(409, 'conflict', { detail: TOO_MANY_UNBOUND });
  const [row] = inserted;
  if (!row) throw new ProblemError(500, 'internal');
  await audit(c, { ownerId, action: 'attachment-uploaded', actor: `session:${sessionId}`, subject: row.id, detail: { mediaType: row.mediaType, bytes: row.bytes } });
  return c.json(toAttachmentView(row), 201);
});

/** Delete an image not yet on a task: 204. On a task → 409; unknown or another owner's → 404. */
attachmentRoutes.delete('/attachments/:id', async (c) => {
  const id = attachmentIdParam(c);
  const { ownerId } = c.var.session;
  const mine = and(eq(attachments.id, id), eq(attachments.ownerId, ownerId));
  const [gone] = await c.var.db.delete(attachments).where(and(mine, isNull(attachments.taskId))).returning({ id: attachments.id });
  if (gone) return c.body(null, 204);
  const [bound] = await c.var.db.select({ id: attachments.id }).from(attachments).where(mine).limit(1);
  if (!bound) throw new ProblemError(404, 'not-found');
  throw new ProblemError(409, 'conflict', { detail: 'the image is already on a task' });
});

/**
 * The bytes (Content-Type: the image's type), only while its task is claimed by this agent, active and leased: 404
 * otherwise (unknown, another owner's or agent's, not yet claimed, ended); 410 once received (the bytes are gone).
 */
attachmentRoutes.get('/agent/attachments/:id', async (c) => {
  const id = attachmentIdParam(c);
  const { ownerId, deviceId } = c.var.agent;
  const now = c.var.deps.now();
  const [row] = await c.var.db
    .select({ mediaType: attachments.mediaType, data: attachments.data })
    .from(attachments)
    .innerJoin(tasks, eq(tasks.id, attachments.taskId))
    .where(
      and(
        eq(attachments.id, id),
        eq(attachments.ownerId, ownerId),
        eq(tasks.ownerId, ownerId),
        eq(tasks.agentId, deviceId),
        inArray(tasks.status, [...ACTIVE_STATUSES]),
        gte(tasks.leaseExpiresAt, now),
      ),
    )
    .limit(1);
  if (!row) throw new ProblemError(404, 'not-found');
  if (row.data === null) throw new ProblemError(410, 'not-found', { detail: 'the image was already received: its bytes are gone' });
  return c.body(new Uint8Array(row.data), 200, { 'content-type': row.mediaType, 'cache-control': 'no-store' });
});

/**
 * The agent wrote the image at home: drop its bytes and record receivedAt (kept from the first call: idempotent).
 * 200 AttachmentView. Only for an image on a task this agent claimed; any other → 404. No body is read.
 */
attachmentRoutes.post('/agent/attachments/:id/received', async (c) => {
  const id = attachmentIdParam(c);
  const { ownerId, deviceId } = c.var.agent;
  const now = c.var.deps.now();
  const claimedByMe = c.var.db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.ownerId, ownerId), eq(tasks.agentId, deviceId)));
  const [row] = await c.var.db
    .update(attachments)
    .set({ data: null, receivedAt: sql`coalesce(${attachments.receivedAt}, ${now})` })
    .where(and(eq(attachments.id, id), eq(attachments.ownerId, ownerId), inArray(attachments.taskId, claimedByMe)))
    .returning(envelopeColumns);
  if (!row) throw new ProblemError(404, 'not-found');
  return c.json(toAttachmentView(row));
});
