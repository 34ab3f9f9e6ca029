// Revocation in the REAL room (`partykit dev`, tickets in the Worker's format): a `revoke` notification closes every
// socket whose ticket carried that sid with ROOM_CLOSE_REVOKED, leaves the others open, and refuses the sid's tickets
// afterwards — also one minted before the revocation. Each test uses a fresh owner, so a fresh room.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ROOM_CLOSE_REVOKED } from '../../protocol/index.ts';
import { PHONE_ORIGIN, useRoomClients, ofType as type } from '../support/room-client.ts';
import { mintTicket } from '../support/ticket.ts';

const rc = useRoomClients();

/** POST a `revoke` for `sid` to `owner`'s room as the Worker does; resolves with the answer's JSON. */
async function revoke(owner: string, sid: string): Promise<unknown> {
  const res = await fetch(`http://${rc.room.host}/parties/main/${owner}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rc.room.roomSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'revoke', sid }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('revocation in the room', () => {
  it("closes every socket of the revoked session or device within 5 s and leaves the others open", async () => {
    const owner = randomUUID();
    const watcher = await rc.join(owner, 'phone', 'session-kept');
    const phones = [await rc.join(owner, 'phone', 'session-revoked'), await rc.join(owner, 'phone', 'session-revoked')];
    const agent = await rc.join(owner, 'agent', 'device-revoked');
    const keptAgent = await rc.join(owner, 'agent', 'device-kept');
    await watcher.next((m) => m.type === 'agent-presence' && m.connected === 2, 'both agents present');

    const started = performance.now();
    expect(await revoke(owner, 'session-revoked')).toEqual({ closed: 2 });
    for (const phone of phones) expect(await phone.closed).toEqual({ code: ROOM_CLOSE_REVOKED, reason: 'revoked' });
    const sessionMs = performance.now() - started;

    const again = performance.now();
    expect(await revoke(owner, 'device-revoked')).toEqual({ closed: 1 });
    expect(await agent.closed).toEqual({ code: ROOM_CLOSE_REVOKED, reason: 'revoked' });
    const deviceMs = performance.now() - again;
    console.log(`room revocation: session sockets closed ${sessionMs.toFixed(0)} ms, device socket ${deviceMs.toFixed(0)} ms after the notify`);
    expect(Math.max(sessionMs, deviceMs)).toBeLessThan(5_000);

    // Phones hear that the revoked agent is gone; the other session and device carry on.
    expect(await watcher.next(type('agent-presence'), 'presence after the revocation')).toEqual({ type: 'agent-presence', connected: 1 });
    for (const alive of [watcher, keptAgent]) {
      alive.send({ type: 'ping', requestId: 'still-here' });
      expect(await alive.next(type('pong'))).toEqual({ type: 'pong', requestId: 'still-here' });
    }
  });

  it('refuses a ticket of a revoked sid, even one minted before the revocation, but no one else', async () => {
    const owner = randomUUID();
    const early = mintTicket(rc.room.ticketSecret, { sub: owner, role: 'phone', sid: 'session-gone', origin: PHONE_ORIGIN });
    expect(await revoke(owner, 'session-gone')).toEqual({ closed: 0 });
    for (const ticket of [early, mintTicket(rc.room.ticketSecret, { sub: owner, role: 'phone', sid: 'session-gone', origin: PHONE_ORIGIN })]) {
      const refused = await rc.open(rc.url(owner, ticket), PHONE_ORIGIN);
      expect(await refused.closed).toEqual({ code: ROOM_CLOSE_REVOKED, reason: 'revoked' });
    }
    const agentTicket = mintTicket(rc.room.ticketSecret, { sub: owner, role: 'agent', sid: 'session-gone' });
    expect(await (await rc.open(rc.url(owner, agentTicket))).closed).toEqual({ code: ROOM_CLOSE_REVOKED, reason: 'revoked' });

    const other = await rc.open(rc.url(owner, mintTicket(rc.room.ticketSecret, { sub: owner, role: 'phone', sid: 'session-other', origin: PHONE_ORIGIN })), PHONE_ORIGIN);
    other.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    expect(await other.next(type('welcome'))).toMatchObject({ ownerId: owner });
  });

  it("is one room's business: revoking a sid in another owner's room closes nothing here", async () => {
    const owner = randomUUID();
    const phone = await rc.join(owner, 'phone', 'shared-sid');
    expect(await revoke(randomUUID(), 'shared-sid')).toEqual({ closed: 0 });
    phone.send({ type: 'ping', requestId: 'here' });
    expect(await phone.next(type('pong'))).toEqual({ type: 'pong', requestId: 'here' });
  });
});
