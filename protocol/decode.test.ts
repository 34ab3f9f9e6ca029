import { expect, test } from 'vitest';
import { decodeFrame, MAX_FRAME_CHARS } from './decode.ts';
import { AgentToRoom, PhoneToRoom, RoomNotification } from './room.ts';
import { UserCode } from './device-flow.ts';

const taskId = '6f1c1c2e-7d1c-4a39-9a4e-0c2b8d0f4a11';

test('decodes a valid pane frame', () => {
  const frame = { type: 'pane', taskId, seq: 1, body: { full: true, width: 80, height: 2, rows: [[0, 'hi'], [1, '']] } };
  const r = decodeFrame(AgentToRoom, JSON.stringify(frame));
  expect(r).toEqual({ ok: true, value: frame });
});

test.each([
  ['binary data', new Uint8Array([1, 2])],
  ['not JSON', '{nope'],
  ['unknown type', JSON.stringify({ type: 'shell', cmd: 'ls' })],
  ['seq zero', JSON.stringify({ type: 'pane', taskId, seq: 0, body: { full: true, width: 1, height: 1, rows: [] } })],
  ['row out of range', JSON.stringify({ type: 'pane', taskId, seq: 1, body: { full: false, width: 1, height: 1, rows: [[900, 'x']] } })],
  ['bad task id', JSON.stringify({ type: 'subscribe', taskId: 'x' })],
  ['too large', 'x'.repeat(MAX_FRAME_CHARS + 1)],
])('never throws and explains: %s', (_name, data) => {
  const r = decodeFrame(AgentToRoom, data);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
});

test('a phone may not send pane frames: its union has no pane member', () => {
  const frame = { type: 'pane', taskId, seq: 1, body: { full: true, width: 80, height: 1, rows: [] } };
  expect(decodeFrame(PhoneToRoom, JSON.stringify(frame)).ok).toBe(false);
});

test('room notifications carry only the routing envelope', () => {
  expect(RoomNotification.safeParse({ type: 'task-changed', taskId, status: 'queued' }).success).toBe(true);
  expect(RoomNotification.safeParse({ type: 'task-changed', taskId, status: 'queued', prompt: 'x' }).data).not.toHaveProperty('prompt');
});

test('user codes normalise case and separators and refuse ambiguous letters', () => {
  expect(UserCode.parse('bcdf-ghjk')).toBe('BCDFGHJK');
  expect(UserCode.safeParse('BCDF-GHJA').success).toBe(false); // A is not in the alphabet
  expect(UserCode.safeParse('BCDF-GHJ').success).toBe(false);
});

test('a pane body over the character budget is refused before it can hit the 1 MiB socket limit', () => {
  const row = 'é'.repeat(1000);
  const rows = Array.from({ length: 300 }, (_, i) => [i, row]);
  const r = decodeFrame(AgentToRoom, JSON.stringify({ type: 'pane', taskId, seq: 1, body: { full: true, width: 1000, height: 300, rows } }));
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(/body.rows: the rows hold over 262144 characters/);
});

test('screen rows carry no control characters: an ESC in a row is refused', () => {
  const r = decodeFrame(AgentToRoom, JSON.stringify({ type: 'pane', taskId, seq: 1, body: { full: false, width: 80, height: 1, rows: [[0, 'a\u001b[2Jb']] } }));
  expect(r.ok).toBe(false);
});
