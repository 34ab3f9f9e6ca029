// The header's two live lights: the room connection and whether a home agent is online. Display only.
import type { RoomState } from './room-client.ts';

const ROOM_TEXT: Record<RoomState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  'signed-out': 'signed out',
};

export type ConnectionIndicator = {
  state(state: RoomState): void;
  /** `agentsConnected` from the room's agent-presence frame. */
  presence(agentsConnected: number): void;
};

/** Drive `#connection` and `#agent-presence` (text plus data-state / data-online for styling and tests). */
export function mountConnectionIndicator(deps: { room: HTMLElement; agent: HTMLElement }): ConnectionIndicator {
  return {
    state(state) {
      deps.room.textContent = ROOM_TEXT[state];
      deps.room.dataset['state'] = state;
      if (state !== 'connected') {
        deps.agent.dataset['online'] = 'unknown';
        deps.agent.textContent = 'home agent …';
      }
    },
    presence(agentsConnected) {
      const online = agentsConnected > 0;
      deps.agent.dataset['online'] = String(online);
      deps.agent.textContent = online ? 'home agent online' : 'home agent offline';
    },
  };
}
