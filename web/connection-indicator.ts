// The header's two live lights: the room connection and whether a home agent is online. Display only; the lights'
// container in index.html is aria-live="polite", so a change is read out without interrupting.
import type { RoomStatus } from './room-client.ts';

/** The room light's text for `status` ("reconnecting… (attempt 3)" from the second attempt on). */
export function roomText(status: RoomStatus): string {
  switch (status.state) {
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return 'live';
    case 'reconnecting':
      return status.attempt > 1 ? `reconnecting… (attempt ${status.attempt})` : 'reconnecting…';
    case 'offline':
      return 'offline';
    case 'signed-out':
      return 'signed out';
  }
}

export type ConnectionIndicator = {
  state(status: RoomStatus): void;
  /** `agentsConnected` from the room's agent-presence frame. */
  presence(agentsConnected: number): void;
};

/**
 * Drive `#connection` (text, data-state, and data-attempt while reconnecting) and `#agent-presence` (text and
 * data-online), for styling and tests.
 */
export function mountConnectionIndicator(deps: { room: HTMLElement; agent: HTMLElement }): ConnectionIndicator {
  let online: boolean | null = null;
  return {
    state(status) {
      deps.room.textContent = roomText(status);
      deps.room.dataset['state'] = status.state;
      if (status.state === 'reconnecting') deps.room.dataset['attempt'] = String(status.attempt);
      else delete deps.room.dataset['attempt'];
      // Without the room the phone cannot know whether an agent is there; say so only once (the region is live).
      if (status.state !== 'connected' && online !== null) {
        online = null;
        deps.agent.dataset['online'] = 'unknown';
        deps.agent.textContent = 'home agent …';
      }
    },
    presence(agentsConnected) {
      online = agentsConnected > 0;
      deps.agent.dataset['online'] = String(online);
      deps.agent.textContent = online ? 'home agent online' : 'home agent offline';
    },
  };
}
