// The owner's PartyKit room (room id = owner id): wires tickets, the frame gate, the task cache and fan-out.
// Thin on purpose: every decision lives in the modules it imports. Live state only; D1 is the truth.
import type * as Party from 'partykit/server';
import { PROTOCOL_VERSION, ROOM_CLOSE_REVOKED, type AgentToRoom, type PhoneToRoom } from '../protocol/index.ts';
import { readRoomEnv } from './env.ts';
import { ticketFromUrl, verifyTicket } from './ticket.ts';
import { redeemTicketId } from './ticket-replay.ts';
import { createRevokedSids, type RevokedSids } from './revoked-sids.ts';
import { readConnState, withSubscription, withoutSubscription, type ConnState } from './connection-state.ts';
import { gateFrame } from './frame-gate.ts';
import { applyPane, closeTask, createTaskCache, lookupTask, type TaskCache } from './task-cache.ts';
import { decideResume } from './resume.ts';
import { snapshotFrame } from './screen.ts';
import { parseNotifyRequest, planNotification } from './notify.ts';
import { problemResponse } from './problem.ts';
import { errorFrame, recipients, send } from './outbound.ts';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** WebSocket close code for policy violations (RFC 6455 §7.4.1). */
const POLICY = 1008;

export default class Room implements Party.Server {
  readonly room: Party.Room;
  readonly cache: TaskCache = createTaskCache();
  readonly revoked: RevokedSids;

  constructor(room: Party.Room) {
    this.room = room;
    this.revoked = createRevokedSids(room.storage);
  }

  /**
   * Edge check before the socket reaches the room: a valid, unexpired ticket for this room, presented from where it
   * was bound (a phone's page Origin; no Origin for an agent), else 401/403 problem+json before the upgrade.
   * Replaces the client-chosen `_pk` connection id with a fresh one so clients cannot collide.
   */
  static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby): Promise<Party.Request | Response> {
    const env = readRoomEnv(lobby.env);
    if (!env) return problemResponse(500, 'internal', 'the room is not configured');
    const at = { roomId: lobby.id, nowSeconds: nowSeconds(), origin: req.headers.get('origin') };
    const check = await verifyTicket(env.TICKET_SECRET, ticketFromUrl(req.url), at);
    if (!check.ok) return problemResponse(check.status, check.status === 401 ? 'unauthenticated' : 'forbidden', check.reason);
    const url = new URL(req.url);
    url.searchParams.set('_pk', crypto.randomUUID());
    // partykit ships its own copy of workers-types, so its Request and ours differ only in type.
    return new Request(url.toString(), req as unknown as Request) as unknown as Party.Request;
  }

  /**
   * Re-verifies the ticket inside the room (never trusts the edge alone) and spends its jti: a replay closes 1008.
   * A ticket of a revoked session or device closes with ROOM_CLOSE_REVOKED.
   */
  async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
    const env = readRoomEnv(this.room.env);
    if (!env) return conn.close(1011, 'the room is not configured');
    const now = nowSeconds();
    const at = { roomId: this.room.id, nowSeconds: now, origin: ctx.request.headers.get('origin') };
    const check = await verifyTicket(env.TICKET_SECRET, ticketFromUrl(ctx.request.url), at);
    if (!check.ok) return conn.close(POLICY, `ticket refused: ${check.reason}`);
    if (!(await redeemTicketId(this.room.storage, check.claims.jti, check.claims.exp, now))) {
      return conn.close(POLICY, 'ticket already used');
    }
    // No await between this check and setState: a revocation arriving later finds the socket by its sid.
    if (await this.revoked.has(check.claims.sid, now)) return conn.close(ROOM_CLOSE_REVOKED, 'revoked');
    const state: ConnState = { role: check.claims.role, sid: check.claims.sid, hello: false, subscriptions: [] };
    conn.setState(state);
  }

  onMessage(data: string | ArrayBuffer | ArrayBufferView, conn: Party.Connection): void {
    const state = readConnState(conn.state);
    if (!state) return conn.close(POLICY, 'not authenticated');
    const gate = gateFrame(state.role, state.hello, data);
    switch (gate.kind) {
      case 'error':
        send(conn, errorFrame(gate.code, gate.message));
        if (gate.close) conn.close(POLICY, gate.code);
        return;
      case 'hello':
        return this.onHello(conn, state);
      case 'phone':
        return this.onPhone(conn, state, gate.message);
      case 'agent':
        return this.onAgent(conn, gate.message);
    }
  }

  onClose(conn: Party.Connection): void {
    const state = readConnState(conn.state);
    if (state?.role === 'agent' && state.hello) this.broadcastPresence(conn.id);
  }

  onError(conn: Party.Connection): void {
    this.onClose(conn);
  }

  /** Worker → room notification (see notify.ts); everything but an authenticated, valid POST is refused. */
  async onRequest(req: Party.Request): Promise<Response> {
    const env = readRoomEnv(this.room.env);
    if (!env) return problemResponse(500, 'internal', 'the room is not configured');
    const parsed = await parseNotifyRequest(req as unknown as Request, env.ROOM_SECRET);
    if (!parsed.ok) return parsed.response;
    const fan = planNotification(parsed.notification);
    if (fan.kind === 'revoke') return Response.json({ closed: await this.revoke(fan.sid) });
    if (fan.closeTaskId !== null) closeTask(this.cache, fan.closeTaskId);
    const toPhones = JSON.stringify(fan.toPhones);
    let phones = 0;
    let agents = 0;
    for (const phone of recipients(this.room, 'phone')) (send(phone, toPhones), phones++);
    if (fan.toAgents) {
      const toAgents = JSON.stringify(fan.toAgents);
      for (const agent of recipients(this.room, 'agent')) (send(agent, toAgents), agents++);
    }
    return Response.json({ delivered: { phones, agents } });
  }

  /**
   * Close every socket whose ticket carried `sid` (ROOM_CLOSE_REVOKED) and refuse its tickets from now on. The sid
   * is marked before the first await, so a connection being admitted meanwhile is refused too. Returns how many closed.
   */
  private async revoke(sid: string): Promise<number> {
    const remembering = this.revoked.remember(sid, nowSeconds());
    let closed = 0;
    for (const conn of this.room.getConnections()) {
      if (readConnState(conn.state)?.sid !== sid) continue;
      conn.close(ROOM_CLOSE_REVOKED, 'revoked');
      closed++;
    }
    await remembering;
    return closed;
  }

  private onHello(conn: Party.Connection, state: ConnState): void {
    const first = !state.hello;
    conn.setState({ ...state, hello: true });
    send(conn, { type: 'welcome', protocolVersion: PROTOCOL_VERSION, ownerId: this.room.id });
    if (state.role === 'phone') send(conn, { type: 'agent-presence', connected: this.agentCount() });
    else if (first) this.broadcastPresence();
  }

  private onPhone(conn: Party.Connection, state: ConnState, message: Exclude<PhoneToRoom, { type: 'hello' }>): void {
    switch (message.type) {
      case 'ping':
        return send(conn, { type: 'pong', requestId: message.requestId });
      case 'unsubscribe':
        conn.setState(withoutSubscription(state, message.taskId));
        return;
      case 'subscribe':
        conn.setState(withSubscription(state, message.taskId));
        return this.catchUp(conn, message.taskId, message.lastSeq);
      case 'snapshot-request':
        return this.catchUp(conn, message.taskId, undefined);
    }
  }

  /** Bring one phone up to date on a task: replay, snapshot, nothing, or ask the agents for a snapshot. */
  private catchUp(conn: Party.Connection, taskId: string, lastSeq: number | undefined): void {
    const task = lookupTask(this.cache, taskId);
    if (task.state === 'closed') return;
    const resume = decideResume(task.state === 'live' ? task.entry : undefined, lastSeq);
    if (resume.kind === 'replay') for (const frame of resume.frames) send(conn, frame.json);
    else if (resume.kind === 'snapshot' && task.state === 'live') send(conn, snapshotFrame(taskId, task.entry.screen));
    else if (resume.kind === 'ask-agents') {
      const ask = JSON.stringify({ type: 'snapshot-request', taskId });
      for (const agent of recipients(this.room, 'agent')) send(agent, ask);
    }
  }

  private onAgent(conn: Party.Connection, message: Exclude<AgentToRoom, { type: 'hello' }>): void {
    switch (message.type) {
      case 'ping':
        return send(conn, { type: 'pong', requestId: message.requestId });
      case 'task-closed':
        return closeTask(this.cache, message.taskId);
      case 'pane': {
        const outcome = applyPane(this.cache, message);
        if (outcome.kind === 'gap') return send(conn, { type: 'snapshot-request', taskId: message.taskId });
        send(conn, { type: 'ack', taskId: message.taskId, seq: message.seq });
        if (outcome.kind !== 'applied') return;
        const watching = (s: ConnState): boolean => s.subscriptions.includes(message.taskId);
        for (const phone of recipients(this.room, 'phone', watching)) send(phone, outcome.json);
        return;
      }
    }
  }

  private agentCount(exceptId?: string): number {
    return [...recipients(this.room, 'agent', undefined, exceptId)].length;
  }

  /** Tell every phone how many agents are connected (`exceptId`: an agent socket that is closing). */
  private broadcastPresence(exceptId?: string): void {
    const presence = JSON.stringify({ type: 'agent-presence', connected: this.agentCount(exceptId) });
    for (const phone of recipients(this.room, 'phone')) send(phone, presence);
  }
}

Room satisfies Party.Worker;
