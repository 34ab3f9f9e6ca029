import { describe, expect, it } from 'vitest';
import { MAX_KEEP_OPEN_MS } from '../protocol/index.ts';
import { AgentError } from './agent-error.ts';
import { closeAnswer, deliverAnswer, keepOpenMs, openTaskAction } from './keep-open.ts';

const http = (status: number, code: 'conflict' | 'not-found' | 'internal' = 'internal') =>
  new AgentError(code, `HTTP ${status}`, { status });

describe('keepOpenMs', () => {
  it.each([
    [0, 0],
    [30, 1_800_000],
    [0.05, 3_000],
    [1e-9, 1],
    [1440, MAX_KEEP_OPEN_MS],
    [Number.NaN, 0],
  ])('%s minutes → %s ms', (minutes, ms) => {
    expect(keepOpenMs(minutes)).toBe(ms);
  });
});

describe('openTaskAction', () => {
  const now = 1_000;
  it.each([
    ['a follow-up reopened it', { status: 'running', openUntil: null }, 'pick-up'],
    ['its follow-up turn asks for approval', { status: 'waiting_approval', openUntil: null }, 'pick-up'],
    ['it is open for a while yet', { status: 'succeeded', openUntil: 2_000 }, 'keep'],
    ['the owner closed it', { status: 'succeeded', openUntil: null }, 'close'],
    ['no openUntil at all', { status: 'succeeded' }, 'close'],
    ['its time is up', { status: 'succeeded', openUntil: 1_000 }, 'close'],
    ['it was lost', { status: 'lost', openUntil: null }, 'forget'],
    ['it was cancelled', { status: 'cancelled', openUntil: null }, 'forget'],
  ] as const)('%s → %s', (_name, view, action) => {
    expect(openTaskAction(view, now)).toBe(action);
  });
});

describe('closeAnswer and deliverAnswer', () => {
  it.each([
    [null, 'closed', 'type'],
    [http(409, 'conflict'), 'reopened', 'skip'],
    [http(404, 'not-found'), 'not-held', 'skip'],
    [http(500), 'retry', 'retry'],
    [new AgentError('network', 'cannot reach the Worker'), 'retry', 'retry'],
    [new Error('boom'), 'retry', 'retry'],
  ])('%s → close %s, deliver %s', (error, close, deliver) => {
    expect(closeAnswer(error)).toBe(close);
    expect(deliverAnswer(error)).toBe(deliver);
  });
});
