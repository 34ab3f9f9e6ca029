// Security suite, room tickets and revocation against the real Worker and room: a replayed, an expired, a revoked
// session's, another page's, a page-borne agent's and another owner's ticket are all refused; revoking a session or a
// device closes its open sockets with 4003, each within 5 s (measured from the DELETE being sent, and printed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ROOM_CLOSE_REVOKED, RoomTicketResponse, TicketClaims } from '../../protocol/index.ts';
import { signInWithPasskey } from '../../scripts/passkey-client.ts';
import { ofType, roomClients, roomOutcome, type RoomClient, type RoomOutcome } from '../support/room-client.ts';
import { recordFigure, tryRoomEntries } from '../support/security-figures.ts';
import { bearer, startSecurityWorld, type SecurityOwner, type SecurityWorld } from '../support/security-world.ts';
import { mintTicket } from '../support/ticket.ts';
import { pairAgent } from '../support/worker.ts';

const REVOCATIONS = 3;
let world: SecurityWorld;
let clients: ReturnType<typeof roomClients>;
let owner: SecurityOwner;
let other: SecurityOwner;

beforeAll(async () => {
  world = await startSecurityWorld();
  clients = roomClients(world.room);
  owner = await world.owner('ticket-owner');
  other = await world.owner('other-owner');
});
afterAll(async () => {
  clients?.closeAll();
  await world?.stop();
});

const page = () => ({ origin: world.worker.url });
const sidOf = (ticket: string): string => TicketClaims.parse(JSON.parse(Buffer.from(ticket.split('.')[0]!, 'base64url').toString())).sid;
const roomUrl = (room: string, ticket: string) => clients.url(room, ticket);

/** A Worker ticket for a session cookie (sent from the app's page) or an agent bearer. */
async function ticketFor(auth: string): Promise<RoomTicketResponse> {
  const res = await world.api.post('/api/room-ticket', undefined, auth, auth.startsWith('Bearer ') ? {} : page());
  expect(res.status).toBe(200);
  return RoomTicketResponse.parse(await res.json());
}

/** Enter with a Worker ticket (a phone from the app's page, an agent with no Origin): hello → welcome. */
async function enter(ticket: RoomTicketResponse, role: 'phone' | 'agent'): Promise<RoomClient> {
  const client = await clients.open(roomUrl(ticket.room, ticket.ticket), role === 'phone' ? world.worker.url : undefined);
  client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  await client.next(ofType('welcome'), 'welcome');
  return client;
}

describe('room tickets', () => {
  it('refuses replayed, expired, revoked-session, other-page, page-borne agent and other-owner tickets', async () => {
    const replayed = await ticketFor(owner.cookie);
    expect(await roomOutcome(roomUrl(replayed.room, replayed.ticket), world.worker.url)).toEqual({ entered: true, how: 'welcome' });

    const second = await signInWithPasskey(world.worker.url, owner.authenticator);
    const ofRevoked = await ticketFor(second);
    const revoke = await world.api.raw(`/api/sessions/${sidOf(ofRevoked.ticket)}`, { method: 'DELETE', auth: owner.cookie, headers: page() });
    expect(revoke.status).toBe(204);

    const expired = mintTicket(world.room.ticketSecret, { sub: owner.ownerId, role: 'phone', sid: owner.sessionId, origin: world.worker.url, exp: Math.floor(Date.now() / 1000) - 1 });
    const phone = await ticketFor(owner.cookie);
    const agent = await ticketFor(bearer(owner.agent.token));
    const others = await ticketFor(other.cookie);
    const tries: Array<[string, () => Promise<RoomOutcome>]> = [
      ['replayed', () => roomOutcome(roomUrl(replayed.room, replayed.ticket), world.worker.url)],
      ['expired', () => roomOutcome(roomUrl(owner.ownerId, expired), world.worker.url)],
      ["a revoked session's", () => roomOutcome(roomUrl(ofRevoked.room, ofRevoked.ticket), world.worker.url)],
      ['phone ticket from another page', () => roomOutcome(roomUrl(phone.room, phone.ticket), 'https://evil.example')],
      ['phone ticket without an Origin', () => roomOutcome(roomUrl(phone.room, phone.ticket))],
      ['agent ticket from a page', () => roomOutcome(roomUrl(agent.room, agent.ticket), world.worker.url)],
      ["another owner's ticket", () => roomOutcome(roomUrl(owner.ownerId, others.ticket), world.worker.url)],
    ];
    const entered = await tryRoomEntries('room tickets: replayed / expired / revoked / wrong page / other owner', tries);
    expect(entered).toEqual([]);
    // Control: the untouched tickets still enter where they belong (each once).
    expect(await roomOutcome(roomUrl(phone.room, phone.ticket), world.worker.url)).toEqual({ entered: true, how: 'welcome' });
    expect(await roomOutcome(roomUrl(agent.room, agent.ticket))).toEqual({ entered: true, how: 'welcome' });
  });
});

describe('revocation', () => {
  /** DELETE `path` as the owner and wait for `socket` to close; the close and ms from sending the DELETE. */
  async function revokeAndTime(path: string, socket: RoomClient): Promise<{ code: number; ms: number }> {
    const started = performance.now();
    const res = await world.api.raw(path, { method: 'DELETE', auth: owner.cookie, headers: page() });
    expect(res.status).toBeLessThan(300);
    const { code } = await socket.closed;
    return { code, ms: performance.now() - started };
  }

  it(`closes a revoked session's and a revoked device's sockets within 5 s (${REVOCATIONS} of each)`, async () => {
    const sessions: Array<{ code: number; ms: number }> = [];
    const devices: Array<{ code: number; ms: number }> = [];
    for (let i = 0; i < REVOCATIONS; i++) {
      const ticket = await ticketFor(await signInWithPasskey(world.worker.url, owner.authenticator));
      sessions.push(await revokeAndTime(`/api/sessions/${sidOf(ticket.ticket)}`, await enter(ticket, 'phone')));
      const agent = await pairAgent(world.worker.url, owner.cookie, `revoked-${i}`);
      devices.push(await revokeAndTime(`/api/devices/${agent.deviceId}`, await enter(await ticketFor(bearer(agent.token)), 'agent')));
    }
    const span = (xs: Array<{ ms: number }>) => `${Math.min(...xs.map((x) => x.ms)).toFixed(0)}–${Math.max(...xs.map((x) => x.ms)).toFixed(0)} ms`;
    const late = (xs: Array<{ code: number; ms: number }>) => xs.filter((x) => x.code !== ROOM_CLOSE_REVOKED || x.ms > 5_000).length;
    recordFigure({ check: 'session revoked → its socket closed (≤ 5 s)', attempts: REVOCATIONS, successes: late(sessions), detail: `closed ${ROOM_CLOSE_REVOKED} in ${span(sessions)}` });
    recordFigure({ check: 'device revoked → its socket closed (≤ 5 s)', attempts: REVOCATIONS, successes: late(devices), detail: `closed ${ROOM_CLOSE_REVOKED} in ${span(devices)}` });
    for (const closed of [...sessions, ...devices]) {
      expect(closed.code).toBe(ROOM_CLOSE_REVOKED);
      expect(closed.ms).toBeLessThanOrEqual(5_000);
    }
  });
});
