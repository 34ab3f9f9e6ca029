import { describe, expect, it } from 'vitest';
import type { PaneFrame } from '../protocol/index.ts';
import { applyPane, closeTask, createTaskCache, lookupTask } from './task-cache.ts';

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const snap = (taskId: string, seq: number): PaneFrame => ({
  type: 'pane',
  taskId,
  seq,
  body: { full: true, width: 4, height: 1, rows: [[0, `s${seq}`]] },
});
const patch = (taskId: string, seq: number): PaneFrame => ({
  type: 'pane',
  taskId,
  seq,
  body: { full: false, width: 4, height: 1, rows: [[0, `p${seq}`]] },
});

describe('task cache', () => {
  it('applies in order, drops duplicates, reports gaps', () => {
    const cache = createTaskCache();
    expect(applyPane(cache, patch(id(1), 1)).kind).toBe('gap');
    expect(applyPane(cache, snap(id(1), 1)).kind).toBe('applied');
    expect(applyPane(cache, patch(id(1), 2)).kind).toBe('applied');
    expect(applyPane(cache, patch(id(1), 2)).kind).toBe('duplicate');
    expect(applyPane(cache, patch(id(1), 4)).kind).toBe('gap');
    const task = lookupTask(cache, id(1));
    expect(task.state === 'live' && task.entry.screen).toEqual({ seq: 2, width: 4, height: 1, rows: ['p2'] });
  });

  it('a snapshot restarts the ring', () => {
    const cache = createTaskCache();
    applyPane(cache, snap(id(1), 1));
    applyPane(cache, patch(id(1), 2));
    applyPane(cache, snap(id(1), 3));
    const task = lookupTask(cache, id(1));
    expect(task.state === 'live' && task.entry.ring.frames.map((f) => f.seq)).toEqual([3]);
  });

  it('evicts the least recently updated task past maxTasks', () => {
    const cache = createTaskCache({ maxTasks: 2, maxClosed: 2, ring: { maxFrames: 4, maxChars: 1000 } });
    applyPane(cache, snap(id(1), 1));
    applyPane(cache, snap(id(2), 1));
    applyPane(cache, patch(id(1), 2));
    applyPane(cache, snap(id(3), 1));
    expect([...cache.tasks.keys()]).toEqual([id(1), id(3)]);
  });

  it('drops frames of closed tasks and remembers a bounded number of them', () => {
    const cache = createTaskCache({ maxTasks: 4, maxClosed: 2, ring: { maxFrames: 4, maxChars: 1000 } });
    applyPane(cache, snap(id(1), 1));
    closeTask(cache, id(1));
    expect(lookupTask(cache, id(1)).state).toBe('closed');
    expect(applyPane(cache, snap(id(1), 2)).kind).toBe('closed');
    closeTask(cache, id(2));
    closeTask(cache, id(3));
    expect(lookupTask(cache, id(1)).state).toBe('missing');
    expect([...cache.closed]).toEqual([id(2), id(3)]);
  });
});
