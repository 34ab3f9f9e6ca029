// How tasks are summarised and ordered in the list.
import { describe, expect, it } from 'vitest';
import { STATUS_ICONS, TaskStatus, TaskView } from '../protocol/index.ts';
import { canCancel, firstLine, newestFirst, statusLabel } from './task-summary.ts';

function task(id: string, createdAt: number) {
  return TaskView.parse({
    id,
    status: 'queued',
    workspace: 'w',
    backend: 'shell',
    createdAt,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    error: null,
    agentId: null,
    prompt: 'p',
  });
}

describe('firstLine', () => {
  it.each<[string, number, string]>([
    ['echo hi', 80, 'echo hi'],
    ['\n\n  fix the tests  \nand more', 80, 'fix the tests'],
    ['a\r\nb', 80, 'a'],
    ['', 80, ''],
    ['abcdef', 4, 'abc…'],
    ['🔥🔥🔥🔥🔥', 3, '🔥🔥…'],
  ])('%j (max %d) → %j', (prompt, max, expected) => expect(firstLine(prompt, max)).toBe(expected));
});

describe('statusLabel', () => {
  it('uses the protocol icon for every status', () => {
    for (const status of TaskStatus.options) expect(statusLabel(status).icon).toBe(STATUS_ICONS[status]);
  });
});

describe('canCancel', () => {
  it.each(TaskStatus.options)('%s', (status) => {
    expect(canCancel(status)).toBe(['queued', 'running', 'waiting_approval'].includes(status));
  });
});

describe('newestFirst', () => {
  it('orders by createdAt descending, ties by id, without touching the input', () => {
    const a = task('00000000-0000-4000-8000-00000000000a', 1);
    const b = task('00000000-0000-4000-8000-00000000000b', 3);
    const c = task('00000000-0000-4000-8000-00000000000c', 3);
    const input = [a, b, c];
    expect(newestFirst(input).map((t) => t.id)).toEqual([c.id, b.id, a.id]);
    expect(input).toEqual([a, b, c]);
  });
});
