import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Role } from '../protocol/index.ts';
import { gateFrame } from './frame-gate.ts';

const TASK = '3f1c6a52-8d0e-4f3b-9a51-6f0a2b9c7d10';
const hello = JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
const pane = JSON.stringify({ type: 'pane', taskId: TASK, seq: 1, body: { full: true, width: 1, height: 1, rows: [] } });
const subscribe = JSON.stringify({ type: 'subscribe', taskId: TASK });

describe('gateFrame', () => {
  const cases: [string, Role, boolean, unknown, string, string?, boolean?][] = [
    ['phone hello', 'phone', false, hello, 'hello'],
    ['agent hello again later', 'agent', true, hello, 'hello'],
    ['other protocol version', 'phone', false, JSON.stringify({ type: 'hello', protocolVersion: 99 }), 'error', 'protocol-version', true],
    ['subscribe before hello', 'phone', false, subscribe, 'error', 'invalid-request', true],
    ['phone subscribe', 'phone', true, subscribe, 'phone'],
    ['agent pane', 'agent', true, pane, 'agent'],
    ['phone sends pane', 'phone', true, pane, 'error', 'wrong-role', true],
    ['phone sends pane before hello', 'phone', false, pane, 'error', 'wrong-role', true],
    ['agent sends subscribe', 'agent', true, subscribe, 'error', 'wrong-role', true],
    ['not JSON', 'phone', true, '{oops', 'error', 'invalid-request', false],
    ['binary frame', 'agent', true, new Uint8Array([1, 2]), 'error', 'invalid-request', false],
    ['unknown type', 'phone', true, JSON.stringify({ type: 'launch-missiles' }), 'error', 'invalid-request', false],
    ['shared type with bad fields', 'phone', true, JSON.stringify({ type: 'subscribe', taskId: 'nope' }), 'error', 'invalid-request', false],
    ['agent pane with bad seq', 'agent', true, JSON.stringify({ ...JSON.parse(pane), seq: 0 }), 'error', 'invalid-request', false],
  ];
  it.each(cases)('%s', (_name, role, helloDone, data, kind, code, close) => {
    const gate = gateFrame(role, helloDone, data);
    expect(gate.kind).toBe(kind);
    if (gate.kind === 'error') expect({ code: gate.code, close: gate.close }).toEqual({ code, close });
  });
});
