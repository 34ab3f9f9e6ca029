// The PartyKit room over real sockets (real `partykit dev` running partykit/room.ts, tickets in the Worker's
// format): tickets, frame errors, presence and Worker notifications. Each test uses a fresh owner, so a fresh room.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import PartySocket from 'partysocket';
import { PROTOCOL_VERSION } from '../../protocol/index.ts';
import { PHONE_ORIGIN, paneFrame, paneOf, useRoomClients, ofType as type, upgradeStatus, type RoomMessage as Message } from '../support/room-client.ts';
import { mintTicket } from '../support/ticket.ts';

const rc = useRoomClients();
const join = rc.join;
const open = rc.open;
const urlFor = rc.url;

const frame = paneFrame;

describe('tickets', () => {
  it('refuses a missing, forged, expired, other-room or wrong-role ticket', async () => {
    const owner = randomUUID();
    const base = `ws://${rc.room.host}/parties/main/${owner}`;
    const phone = (claims: { sub?: string; role?: string; exp?: number } = {}) =>
      mintTicket(rc.room.ticketSecret, { sub: owner, role: 'phone', origin: PHONE_ORIGIN, ...claims });
    const status = (ticket?: string) => upgradeStatus(ticket === undefined ? base : `${base}?ticket=${ticket}`, PHONE_ORIGIN);
    const good = phone();
    expect(await status()).toBe(401);
    expect(await status('garbage')).toBe(401);
    expect(await status(mintTicket('x'.repeat(40), { sub: owner, role: 'phone', origin: PHONE_ORIGIN }))).toBe(401);
    expect(await status(`${good.slice(0, -2)}AA`)).toBe(401);
    expect(await status(phone({ exp: Math.floor(Date.now() / 1000) - 1 }))).toBe(401);
    expect(await status(phone({ sub: randomUUID() }))).toBe(403);
    expect(await status(phone({ role: 'admin' }))).toBe(403);
    expect(await status(good)).toBe(101);
  });

  it('keeps its two secrets apart: a ticket signed with the notify secret is refused', async () => {
    const owner = randomUUID();
    const forged = mintTicket(rc.room.roomSecret, { sub: owner, role: 'agent' });
    expect(await upgradeStatus(`ws://${rc.room.host}/parties/main/${owner}?ticket=${forged}`)).toBe(401);
    const notify = await fetch(`http://${rc.room.host}/parties/main/${owner}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rc.room.ticketSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'revoke', sid: 'test-session' }),
    });
    expect(notify.status).toBe(401);
  });

  it('binds a phone ticket to its page origin and an agent ticket to no origin at all', async () => {
    const owner = randomUUID();
    const base = `ws://${rc.room.host}/parties/main/${owner}`;
    const phone = (origin?: string) => `${base}?ticket=${mintTicket(rc.room.ticketSecret, { sub: owner, role: 'phone', origin })}`;
    const agent = () => `${base}?ticket=${mintTicket(rc.room.ticketSecret, { sub: owner, role: 'agent' })}`;
    expect(await upgradeStatus(phone(PHONE_ORIGIN), 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(phone(PHONE_ORIGIN), `${PHONE_ORIGIN}:8080`)).toBe(403);
    expect(await upgradeStatus(phone(PHONE_ORIGIN))).toBe(403);
    expect(await upgradeStatus(phone(undefined), PHONE_ORIGIN)).toBe(403);
    expect(await upgradeStatus(agent(), PHONE_ORIGIN)).toBe(403);
    expect(await upgradeStatus(agent(), 'null')).toBe(403);
    expect(await upgradeStatus(phone(PHONE_ORIGIN), PHONE_ORIGIN)).toBe(101);
    expect(await upgradeStatus(agent())).toBe(101);
  });

  it('accepts a ticket once and closes a replay with 1008', async () => {
    const owner = randomUUID();
    const ticket = mintTicket(rc.room.ticketSecret, { sub: owner, role: 'phone', origin: PHONE_ORIGIN });
    const first = await open(urlFor(owner, ticket), PHONE_ORIGIN);
    first.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    await first.next(type('welcome'));
    const replay = await open(urlFor(owner, ticket), PHONE_ORIGIN);
    expect((await replay.closed).code).toBe(1008);
    first.send({ type: 'ping', requestId: 'still-here' });
    expect(await first.next(type('pong'))).toEqual({ type: 'pong', requestId: 'still-here' });
  });

  it('lets partysocket reconnect with a fresh ticket from an async query', async () => {
    const owner = randomUUID();
    let minted = 0;
    const socket = new PartySocket({
      host: rc.room.host,
      room: owner,
      query: async () => (minted++, { ticket: mintTicket(rc.room.ticketSecret, { sub: owner, role: 'agent' }) }),
    });
    let welcomes = 0;
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION })));
    socket.addEventListener('message', (e) => {
      if (JSON.parse(String(e.data)).type === 'welcome') welcomes++;
    });
    const welcomed = async (count: number): Promise<void> => {
      for (const deadline = Date.now() + 10_000; welcomes < count; await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() > deadline) throw new Error(`only ${welcomes} welcomes`);
      }
    };
    try {
      await welcomed(1);
      socket.reconnect();
      await welcomed(2);
      expect(minted).toBeGreaterThanOrEqual(2);
    } finally {
      socket.close();
    }
  });

  it('refuses the notify endpoint without the room secret', async () => {
    const url = `http://${rc.room.host}/parties/main/${randomUUID()}`;
    const body = JSON.stringify({ type: 'task-changed', taskId: randomUUID(), status: 'queued' });
    const json = { 'content-type': 'application/json' };
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: json, body })).status).toBe(401);
    const wrong = await fetch(url, { method: 'POST', headers: { ...json, authorization: 'Bearer not-the-secret' }, body });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).code).toBe('unauthenticated');
    const get = await fetch(url, { headers: { authorization: `Bearer ${rc.room.roomSecret}` } });
    expect(get.status).toBe(405);
    const bad = await fetch(url, { method: 'POST', headers: { ...json, authorization: `Bearer ${rc.room.roomSecret}` }, body: '{}' });
    expect(bad.status).toBe(400);
  });
});

describe('frames', () => {
  it('answers a malformed frame with an error and keeps the socket', async () => {
    const phone = await join(randomUUID(), 'phone');
    phone.send('{not json');
    expect(await phone.next(type('error'))).toMatchObject({ type: 'error', code: 'invalid-request' });
    phone.send({ type: 'subscribe', taskId: 'not-a-uuid' });
    expect(await phone.next(type('error'))).toMatchObject({ code: 'invalid-request' });
    phone.send({ type: 'ping', requestId: 'r1' });
    expect(await phone.next(type('pong'))).toEqual({ type: 'pong', requestId: 'r1' });
  });

  it('closes a phone that sends a pane frame with wrong-role and 1008', async () => {
    const phone = await join(randomUUID(), 'phone');
    phone.send(frame(randomUUID(), 1, true, [[0, 'forged']]));
    expect(await phone.next(type('error'))).toMatchObject({ code: 'wrong-role' });
    expect((await phone.closed).code).toBe(1008);
  });

  it('closes a socket whose hello has another protocol version', async () => {
    const owner = randomUUID();
    const agent = await open(urlFor(owner, mintTicket(rc.room.ticketSecret, { sub: owner, role: 'agent' })));
    agent.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 });
    expect(await agent.next(type('error'))).toMatchObject({ code: 'protocol-version' });
    expect((await agent.closed).code).toBe(1008);
  });

  it('closes a socket whose first frame is not hello', async () => {
    const owner = randomUUID();
    const agent = await open(urlFor(owner, mintTicket(rc.room.ticketSecret, { sub: owner, role: 'agent' })));
    agent.send(frame(randomUUID(), 1, true, [[0, 'early']]));
    expect(await agent.next(type('error'))).toMatchObject({ code: 'invalid-request' });
    expect((await agent.closed).code).toBe(1008);
  });
});

describe('presence and notifications', () => {
  it('tells phones how many agents are connected', async () => {
    const owner = randomUUID();
    const phone = await join(owner, 'phone');
    expect(await phone.next(type('agent-presence'))).toEqual({ type: 'agent-presence', connected: 0 });
    const agent = await join(owner, 'agent');
    expect(await phone.next(type('agent-presence'))).toEqual({ type: 'agent-presence', connected: 1 });
    agent.ws.close();
    expect(await phone.next(type('agent-presence'))).toEqual({ type: 'agent-presence', connected: 0 });
  });

  it('fans an authenticated notification out: task-changed to phones, nudges to agents', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const phone = await join(owner, 'phone');
    const agent = await join(owner, 'agent');
    agent.send(frame(task, 1, true, [[0, 'live']]));
    await agent.next(type('ack'));
    const notify = (status: string): Promise<Response> =>
      fetch(`http://${rc.room.host}/parties/main/${owner}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rc.room.roomSecret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'task-changed', taskId: task, status }),
      });

    expect((await notify('queued')).status).toBe(200);
    expect(await phone.next(type('task-changed'))).toEqual({ type: 'task-changed', taskId: task, status: 'queued' });
    expect(await agent.next(type('nudge'))).toEqual({ type: 'nudge', reason: 'task-queued' });

    expect((await notify('cancelled')).status).toBe(200);
    expect(await phone.next(type('task-changed'))).toEqual({ type: 'task-changed', taskId: task, status: 'cancelled' });
    expect(await agent.next(type('nudge'))).toEqual({ type: 'nudge', reason: 'task-cancelled', taskId: task });

    // The cancelled task's screen is gone: a subscribing phone gets no snapshot.
    phone.send({ type: 'subscribe', taskId: task });
    phone.send({ type: 'ping' });
    await phone.next(type('pong'));
    expect(phone.received.filter(paneOf(task))).toEqual([]);
  });
});
