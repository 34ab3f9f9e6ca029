import { describe, expect, test } from 'vitest';
import { CreateTaskRequest, MAX_PROMPT_BYTES, canTransition, sourcesOf, isTerminal, TaskStatus } from './task.ts';

describe('task transitions', () => {
  test.each([
    ['queued', 'running', true],
    ['queued', 'cancelled', true],
    ['queued', 'succeeded', false],
    ['queued', 'lost', false],
    ['running', 'waiting_approval', true],
    ['waiting_approval', 'running', true],
    ['running', 'lost', true],
    ['running', 'queued', false],
    ['succeeded', 'failed', false],
    ['succeeded', 'running', true],
    ['succeeded', 'waiting_approval', false],
    ['cancelled', 'running', false],
    ['running', 'running', false],
  ] as const)('%s → %s is %s', (from, to, legal) => {
    expect(canTransition(from, to)).toBe(legal);
  });

  test('no status leaves a terminal one but a follow-up reopening a succeeded task', () => {
    for (const from of TaskStatus.options.filter((s) => isTerminal(s) && s !== 'succeeded')) {
      for (const to of TaskStatus.options) expect(canTransition(from, to)).toBe(false);
    }
  });

  test('sourcesOf gives the WHERE set of the conditional update', () => {
    expect(sourcesOf('cancelled').sort()).toEqual(['queued', 'running', 'waiting_approval']);
    expect(sourcesOf('running').sort()).toEqual(['queued', 'succeeded', 'waiting_approval']);
    expect(sourcesOf('succeeded').sort()).toEqual(['running', 'waiting_approval']);
  });
});

describe('CreateTaskRequest', () => {
  const ok = { workspace: 'demo', backend: 'shell', prompt: 'echo hi' };
  const issues = (body: unknown) => {
    const r = CreateTaskRequest.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  test('accepts a plain task and tmux-significant text literally', () => {
    for (const prompt of ['echo hi;', '-n', 'C-c', 'Enter', 'a\tb\nc\r\n', 'ünïcödé 🔥', "'\"$(x)`y`"]) {
      expect(issues({ ...ok, prompt })).toEqual([]);
    }
  });

  test.each([
    ['ESC sequence', 'echo \u001b[31mred'],
    ['bracketed paste end', 'a\u001b[201~rm -rf /'],
    ['NUL', 'a\u0000b'],
    ['C1 control', 'a\u009bb'],
    ['DEL', 'a\u007f'],
  ])('refuses %s with a clear error', (_name, prompt) => {
    expect(issues({ ...ok, prompt })).toEqual(['prompt: the prompt contains a control character (only tab and newline are allowed)']);
  });

  test('refuses lone surrogates (invalid UTF-8)', () => {
    expect(issues({ ...ok, prompt: 'a\ud800b' })).toEqual(['prompt: the prompt is not valid UTF-8 text']);
  });

  test('counts the limit in UTF-8 bytes', () => {
    expect(issues({ ...ok, prompt: 'a'.repeat(MAX_PROMPT_BYTES) })).toEqual([]);
    expect(issues({ ...ok, prompt: 'a'.repeat(MAX_PROMPT_BYTES + 1) })).toHaveLength(1);
    // 'é' is 2 bytes: half as many fit.
    expect(issues({ ...ok, prompt: 'é'.repeat(MAX_PROMPT_BYTES / 2 + 1) })).toHaveLength(1);
    expect(issues({ ...ok, prompt: 'x'.repeat(1024 * 1024) })[0]).toMatch(/over 65536 bytes/);
  });

  test('refuses empty prompts, unknown backends, bad workspace names and extra fields', () => {
    expect(issues({ ...ok, prompt: '' })).toEqual(['prompt: the prompt is empty']);
    expect(issues({ ...ok, backend: 'bash' })[0]).toMatch(/^backend:/);
    expect(issues({ ...ok, workspace: '../etc' })[0]).toMatch(/^workspace:/);
    expect(issues({ ...ok, workspace: '-rf' })[0]).toMatch(/^workspace:/);
    expect(issues({ ...ok, extra: 1 })[0]).toMatch(/extra/);
    expect(issues({ ...ok, prompt: 42 })[0]).toMatch(/^prompt:/);
  });
});
