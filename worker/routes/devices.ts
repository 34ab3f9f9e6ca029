// The phone's view of its paired home agents (session): list them, and revoke one — its token stops working at
// once, its active tasks end `lost`, and its room sockets close. Another owner's device answers like an unknown one.
import { Hono, type Context } from 'hono';
import { and, desc, eq } from 'drizzle-orm';
import { DeviceId, type DeviceList } from '../../protocol/index.ts';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../audit/audit-append.ts';
import { requireSession } from '../auth/phone-session.ts';
import { devices } from '../db/schema.ts';
import { revokeDevice } from '../devices/device-revoke.ts';
import { toDeviceView } from '../devices/device-view.ts';
import { ProblemError } from '../problem.ts';
import { announce, approvalChanged, revoked, taskChanged } from '../tasks/announce.ts';

/** Most devices returned by GET /api/devices. */
export const DEVICE_LIST_LIMIT = 100;

export const deviceListRoutes = new Hono<AppEnv>();
deviceListRoutes.use('/devices', requireSession);
deviceListRoutes.use('/devices/*', requireSession);

/** The device id in the path, or a 404 ProblemError when it is not a UUID (answered like an unknown id). */
function deviceIdParam(c: Context): string {
  const parsed = DeviceId.safeParse(c.req.param('id'));
  if (!parsed.success) throw new ProblemError(404, 'not-found');
  return parsed.data;
}

deviceListRoutes.get('/devices', async (c) => {
  const rows = await c.var.db
    .select()
    .from(devices)
    .where(eq(devices.ownerId, c.var.session.ownerId))
    .orderBy(desc(devices.createdAt))
    .limit(DEVICE_LIST_LIMIT);
  const body: DeviceList = { devices: rows.map(toDeviceView) };
  return c.json(body);
});

deviceListRoutes.delete('/devices/:id', async (c) => {
  const id = deviceIdParam(c);
  const { ownerId, sessionId } = c.var.session;
  const now = c.var.deps.now();
  const done = await revokeDevice(c.var.db, ownerId, id, now);
  if (!done) {
    const [row] = await c.var.db
      .select({ revokedAt: devices.revokedAt })
      .from(devices)
      .where(and(eq(devices.id, id), eq(devices.ownerId, ownerId)))
      .limit(1);
    if (!row) throw new ProblemError(404, 'not-found');
    throw new ProblemError(409, 'conflict', { detail: 'the device was already revoked' });
  }
  // The revocation first: the room closes the device's sockets; then what its lost tasks mean to phones and agents.
  announce(c, [
    revoked(ownerId, id),
    ...done.expired.map((a) => approvalChanged(ownerId, a.id, a.taskId, 'expired')),
    ...done.lost.map((taskId) => taskChanged(ownerId, taskId, 'lost')),
    ...done.closedWindows.map((taskId) => taskChanged(ownerId, taskId, 'succeeded')),
  ]);
  await audit(c, {
    ownerId,
    action: 'device-revoked',
    actor: `session:${sessionId}`,
    subject: id,
    detail: { name: done.device.name, lostTasks: done.lost.length },
  });
  return c.json(toDeviceView(done.device));
});
