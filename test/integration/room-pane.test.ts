// The room's pane stream over real sockets: fan-out, acks, duplicates, gaps, snapshots on join and resume from
// lastSeq, isolation between owners. Each test uses a fresh owner id, so a fresh room.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { paneFrame, paneOf, useRoomClients, ofType as type, type RoomMessage as Message } from '../support/room-client.ts';

const rc = useRoomClients();
const join = rc.join;

const frame = paneFrame;

describe('pane stream', () => {
  it('fans agent frames out to a subscribed phone in order, acks them, and drops duplicates', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    const phone = await join(owner, 'phone');
    const bystander = await join(owner, 'phone');
    phone.send({ type: 'subscribe', taskId: task });
    await agent.next(type('snapshot-request'), 'snapshot-request for an unknown task');

    agent.send(frame(task, 1, true, [[0, 'one'], [1, ''], [2, '']]));
    agent.send(frame(task, 2, false, [[1, 'two']]));
    agent.send(frame(task, 2, false, [[1, 'two']]));
    agent.send(frame(task, 3, false, [[2, 'three']]));
    for (const seq of [1, 2, 2, 3]) expect(await agent.next(type('ack'))).toEqual({ type: 'ack', taskId: task, seq });

    await phone.next((m) => paneOf(task)(m) && m.seq === 3, 'seq 3');
    expect(phone.received.filter(paneOf(task)).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(phone.received.filter(paneOf(task))[1]).toEqual(frame(task, 2, false, [[1, 'two']]));

    bystander.send({ type: 'ping' });
    await bystander.next(type('pong'));
    expect(bystander.received.filter(paneOf(task))).toEqual([]);
  });

  it('asks the agent for a snapshot on a gap and applies nothing until it comes', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    const phone = await join(owner, 'phone');
    phone.send({ type: 'subscribe', taskId: task, lastSeq: 1 });
    agent.send(frame(task, 1, true, [[0, 'a']]));
    await agent.next(type('ack'));
    agent.send(frame(task, 3, false, [[0, 'skipped 2']]));
    expect(await agent.next((m) => m.type === 'snapshot-request' || m.type === 'ack')).toEqual({
      type: 'snapshot-request',
      taskId: task,
    });
    agent.send(frame(task, 4, true, [[0, 'fresh']]));
    expect(await agent.next(type('ack'))).toEqual({ type: 'ack', taskId: task, seq: 4 });
    await phone.next((m) => paneOf(task)(m) && m.seq === 4);
    expect(phone.received.filter(paneOf(task)).map((m) => m.seq)).toEqual([1, 4]);
  });

  it('gives a phone joining mid-task a snapshot, then patches', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    agent.send(frame(task, 1, true, [[0, 'top'], [1, ''], [2, '']]));
    agent.send(frame(task, 2, false, [[1, 'middle']]));
    await agent.next((m) => m.type === 'ack' && m.seq === 2);

    const phone = await join(owner, 'phone');
    phone.send({ type: 'subscribe', taskId: task });
    expect(await phone.next(paneOf(task))).toEqual(frame(task, 2, true, [[0, 'top'], [1, 'middle'], [2, '']]));
    agent.send(frame(task, 3, false, [[2, 'bottom']]));
    expect(await phone.next(paneOf(task))).toEqual(frame(task, 3, false, [[2, 'bottom']]));

    phone.send({ type: 'snapshot-request', taskId: task });
    expect(await phone.next(paneOf(task))).toEqual(frame(task, 3, true, [[0, 'top'], [1, 'middle'], [2, 'bottom']]));
  });

  it('resumes a phone from lastSeq with only the newer frames', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    agent.send(frame(task, 1, true, [[0, 'a'], [1, 'b'], [2, 'c']]));
    for (let seq = 2; seq <= 6; seq++) agent.send(frame(task, seq, false, [[0, `a${seq}`]]));
    await agent.next((m) => m.type === 'ack' && m.seq === 6);

    const phone = await join(owner, 'phone');
    phone.send({ type: 'subscribe', taskId: task, lastSeq: 4 });
    await phone.next((m) => paneOf(task)(m) && m.seq === 6);
    const got = phone.received.filter(paneOf(task));
    expect(got.map((m) => m.seq)).toEqual([5, 6]);
    expect(got[0]).toEqual(frame(task, 5, false, [[0, 'a5']]));

    const current = await join(owner, 'phone');
    current.send({ type: 'subscribe', taskId: task, lastSeq: 6 });
    current.send({ type: 'ping' });
    await current.next(type('pong'));
    expect(current.received.filter(paneOf(task))).toEqual([]);
  });

  it('answers a ping sent right after subscribe only after the whole catch-up (the phone\'s "live again" mark)', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    agent.send(frame(task, 1, true, [[0, 'a'], [1, 'b'], [2, 'c']]));
    for (let seq = 2; seq <= 9; seq++) agent.send(frame(task, seq, false, [[seq % 3, `row ${seq}`]]));
    await agent.next((m) => m.type === 'ack' && m.seq === 9);

    const resuming = await join(owner, 'phone');
    resuming.send({ type: 'subscribe', taskId: task, lastSeq: 3 });
    resuming.send({ type: 'ping', requestId: 'resume-1' });
    await resuming.next(type('pong'));
    const replayed = resuming.received.filter((m) => paneOf(task)(m) || m.type === 'pong');
    expect(replayed.map((m) => (m.type === 'pong' ? 'pong' : m.seq))).toEqual([4, 5, 6, 7, 8, 9, 'pong']);

    const fresh = await join(owner, 'phone');
    fresh.send({ type: 'subscribe', taskId: task });
    fresh.send({ type: 'ping', requestId: 'resume-1' });
    await fresh.next(type('pong'));
    const caughtUp = fresh.received.filter((m) => paneOf(task)(m) || m.type === 'pong');
    expect(caughtUp).toEqual([frame(task, 9, true, [[0, 'row 9'], [1, 'row 7'], [2, 'row 8']]), { type: 'pong', requestId: 'resume-1' }]);
  });

  it('gives a phone whose lastSeq fell out of the ring one snapshot at the current seq, then live patches', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    agent.send(frame(task, 1, true, [[0, 'start'], [1, ''], [2, '']]));
    const last = 300; // more frames than the ring keeps (RING_LIMITS.maxFrames = 256)
    for (let seq = 2; seq <= last; seq++) agent.send(frame(task, seq, false, [[seq % 3, `line ${seq}`]]));
    await agent.next((m) => m.type === 'ack' && m.seq === last, `ack ${last}`, 20_000);

    const phone = await join(owner, 'phone');
    phone.send({ type: 'subscribe', taskId: task, lastSeq: 5 });
    phone.send({ type: 'ping', requestId: 'resume-1' });
    await phone.next(type('pong'));
    expect(phone.received.filter(paneOf(task))).toEqual([
      frame(task, last, true, [[0, 'line 300'], [1, 'line 298'], [2, 'line 299']]),
    ]);

    agent.send(frame(task, last + 1, false, [[1, 'line 301']]));
    expect(await phone.next(paneOf(task))).toEqual(frame(task, last + 1, false, [[1, 'line 301']]));
  });

  it('keeps one owner’s frames out of another owner’s room', async () => {
    const task = randomUUID();
    const owner = randomUUID();
    const agent = await join(owner, 'agent');
    const ownPhone = await join(owner, 'phone');
    const stranger = await join(randomUUID(), 'phone');
    ownPhone.send({ type: 'subscribe', taskId: task });
    stranger.send({ type: 'subscribe', taskId: task });
    agent.send(frame(task, 1, true, [[0, 'private']]));
    await agent.next(type('ack'));
    await ownPhone.next(paneOf(task)); // the frame was fanned out in its own room…
    stranger.send({ type: 'ping' });
    await stranger.next(type('pong'));
    expect(stranger.received.filter(paneOf(task))).toEqual([]); // …and never reached the other owner's
  });

  it('forgets a closed task: late frames are acked but not fanned out', async () => {
    const owner = randomUUID();
    const task = randomUUID();
    const agent = await join(owner, 'agent');
    const phone = await join(owner, 'phone');
    phone.send({ type: 'subscribe', taskId: task });
    agent.send(frame(task, 1, true, [[0, 'x']]));
    await phone.next(paneOf(task));
    agent.send({ type: 'task-closed', taskId: task });
    agent.send(frame(task, 2, false, [[0, 'late']]));
    expect(await agent.next((m) => m.type === 'ack' && m.seq === 2)).toBeTruthy();
    phone.send({ type: 'ping' });
    await phone.next(type('pong'));
    expect(phone.received.filter(paneOf(task)).map((m) => m.seq)).toEqual([1]);
  });
});
