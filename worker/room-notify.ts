// Telling an owner's PartyKit room that a task changed (RoomNotification, bearer ROOM_SECRET). Best effort:
// D1 is the truth and agents claim on reconnect, so a failed notify is logged (no secrets) and never thrown.
import type { RoomNotification, TaskStatus } from '../protocol/index.ts';

export type RoomNotifyDeps = {
  fetch: typeof fetch;
  /** `http(s)://host[:port]` of the PartyKit server. */
  partykitOrigin: string;
  roomSecret: string;
  log: (message: string) => void;
};

/** POST one `task-changed` to the owner's room. Resolves true on a 2xx answer, false otherwise; never rejects. */
export async function notifyRoom(deps: RoomNotifyDeps, ownerId: string, taskId: string, status: TaskStatus): Promise<boolean> {
  const body: RoomNotification = { type: 'task-changed', taskId, status };
  try {
    const res = await deps.fetch(`${deps.partykitOrigin}/parties/main/${encodeURIComponent(ownerId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.roomSecret}` },
      body: JSON.stringify(body),
    });
    await res.body?.cancel();
    if (res.ok) return true;
    deps.log(`room notify for task ${taskId} answered HTTP ${res.status}`);
  } catch (err) {
    deps.log(`room notify for task ${taskId} failed: ${err instanceof Error ? err.name : 'error'}`);
  }
  return false;
}
