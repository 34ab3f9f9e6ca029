// The owner's paired home agents (devices) as the phone lists and revokes them (GET /api/devices,
// DELETE /api/devices/:id). Views only: never the token or its hash.
import { z } from 'zod';
import { DeviceId } from './ids.ts';
import { Backend, WorkspaceName } from './task.ts';

/**
 * One paired agent. Times are epoch ms. `lastSeenAt`: its last authenticated call (minute resolution), null
 * before the first. `revokedAt`: null while it may connect. `workspaces`/`backends`: what it last advertised
 * (PUT /api/agent/capabilities), empty before that.
 */
export const DeviceView = z.object({
  id: DeviceId,
  name: z.string(),
  createdAt: z.number().int(),
  lastSeenAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
  workspaces: z.array(WorkspaceName),
  backends: z.array(Backend),
});
export type DeviceView = z.infer<typeof DeviceView>;

/** GET /api/devices: the owner's agents, newest first, revoked ones included (greyed out on the phone). */
export const DeviceList = z.object({ devices: z.array(DeviceView) });
export type DeviceList = z.infer<typeof DeviceList>;
