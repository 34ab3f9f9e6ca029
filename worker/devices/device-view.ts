// A devices row as the phone sees it (protocol DeviceView): never the token hash; capabilities parsed on read.
import type { DeviceView } from '../../protocol/index.ts';
import type { devices } from '../db/schema.ts';
import { parseCapabilities } from '../tasks/agent-capabilities.ts';

type DeviceRow = typeof devices.$inferSelect;

/** The view of `row`; workspaces and backends are empty until the agent advertised them. */
export function toDeviceView(row: DeviceRow): DeviceView {
  const caps = parseCapabilities(row.capabilities);
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    revokedAt: row.revokedAt,
    workspaces: caps?.workspaces ?? [],
    backends: caps?.backends ?? [],
  };
}
