// The first look at every incoming socket frame: decode it with the sender's role union and decide whether it is
// a message to handle, an error to report, or a reason to close (wrong role, no hello, protocol version). Pure.
import { z } from 'zod';
import {
  AgentToRoom,
  PhoneToRoom,
  PROTOCOL_VERSION,
  decodeFrame,
  type ErrorCode,
  type Role,
} from '../protocol/index.ts';

export type Gate =
  | { kind: 'hello' }
  | { kind: 'phone'; message: Exclude<PhoneToRoom, { type: 'hello' }> }
  | { kind: 'agent'; message: Exclude<AgentToRoom, { type: 'hello' }> }
  | { kind: 'error'; code: ErrorCode; message: string; close: boolean };

const typesOf = (schema: typeof PhoneToRoom | typeof AgentToRoom): ReadonlySet<string> =>
  new Set(schema.options.map((o) => o.shape.type.value));

const TYPES: Record<Role, ReadonlySet<string>> = { phone: typesOf(PhoneToRoom), agent: typesOf(AgentToRoom) };
const Typed = z.object({ type: z.string() });

const fail = (code: ErrorCode, message: string, close: boolean): Gate => ({ kind: 'error', code, message, close });

/**
 * Decide what to do with raw frame `data` from a socket of `role`, given whether it already said hello.
 * - undecodable or invalid → invalid-request, socket stays open;
 * - a valid type that only the other role may send → wrong-role, close 1008;
 * - anything but hello first → invalid-request, close 1008; hello with another version → protocol-version, close.
 */
export function gateFrame(role: Role, helloDone: boolean, data: unknown): Gate {
  if (role === 'phone') {
    const decoded = decodeFrame(PhoneToRoom, data);
    if (!decoded.ok) return refuse(role, data, decoded.error);
    const message = decoded.value;
    if (message.type === 'hello') return greet(message.protocolVersion);
    return helloDone ? { kind: 'phone', message } : NO_HELLO;
  }
  const decoded = decodeFrame(AgentToRoom, data);
  if (!decoded.ok) return refuse(role, data, decoded.error);
  const message = decoded.value;
  if (message.type === 'hello') return greet(message.protocolVersion);
  return helloDone ? { kind: 'agent', message } : NO_HELLO;
}

const NO_HELLO = fail('invalid-request', 'the first frame must be hello', true);

function greet(protocolVersion: number): Gate {
  if (protocolVersion === PROTOCOL_VERSION) return { kind: 'hello' };
  return fail('protocol-version', `protocol ${protocolVersion} is not ${PROTOCOL_VERSION}`, true);
}

/** An undecodable frame: wrong-role when its type belongs only to the other role, else invalid-request. */
function refuse(role: Role, data: unknown, error: string): Gate {
  const typed = decodeFrame(Typed, data);
  const other: Role = role === 'phone' ? 'agent' : 'phone';
  if (typed.ok && !TYPES[role].has(typed.value.type) && TYPES[other].has(typed.value.type)) {
    return fail('wrong-role', `a ${role} may not send '${typed.value.type}'`, true);
  }
  return fail('invalid-request', error, false);
}
