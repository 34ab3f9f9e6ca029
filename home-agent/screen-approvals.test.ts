import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import type { GateQuestion } from './approval-gate.ts';
import { claudeDialogKeys } from './backends/claude-dialog.ts';
import type { HookAnswer } from './hook-socket.ts';
import type { LocalTask } from './local-state.ts';
import { createScreenApprovals, dialogHash } from './screen-approvals.ts';
import type { AnswerKey } from './tmux.ts';

// The decisions around one pane dialog, with the screen, the keys and the phone's answer played by the test.
const DIALOG = readFileSync(join(import.meta.dirname, 'backends', 'screens', 'claude-dialog-bash.txt'), 'utf8').split('\n');
const IDLE = readFileSync(join(import.meta.dirname, 'backends', 'screens', 'claude-idle.txt'), 'utf8').split('\n');
const TASK = { taskId: 't1', paneId: '%1', backend: 'claude', workspace: 'ws' } as LocalTask;

function setup(answer: (q: GateQuestion, signal: AbortSignal) => Promise<HookAnswer>) {
  const pane = { rows: DIALOG as readonly string[], hooks: 0 };
  const keys: AnswerKey[] = [];
  const questions: GateQuestion[] = [];
  const screens = createScreenApprovals({
    target: (id) => (id === TASK.taskId ? TASK : undefined),
    hooksInFlight: () => pane.hooks,
    dialogKeys: (backend) => (backend === 'claude' ? claudeDialogKeys : undefined),
    workspacePath: () => '/w',
    readScreen: async () => pane.rows,
    sendKey: async (_pane, key) => void keys.push(key),
    decide: (q, signal) => (questions.push(q), answer(q, signal)),
    log: () => undefined,
    report: (e) => { throw e; },
    stableMs: 30,
  });
  return { pane, keys, questions, screens };
}

test('an allowed dialog still on screen gets the allow key, once; the question carries the dialog', async () => {
  const s = setup(async () => ({ decision: 'allow', reason: 'ok' }));
  s.screens.onScreen(TASK.taskId, DIALOG);
  await sleep(150);
  s.screens.onScreen(TASK.taskId, DIALOG); // the same dialog again: not a new question
  await sleep(150);
  expect(s.keys).toEqual(['1']);
  expect(s.questions).toHaveLength(1);
  const text = claudeDialogKeys.read(DIALOG)!.text;
  expect(s.questions[0]).toMatchObject({ call: null, inputHash: dialogHash(text), request: { source: 'screen', detail: text, summary: 'touch approved.txt', cwd: '/w' } });
});

test('deny answers with Escape; an allow for a dialog that changed meanwhile sends no key', async () => {
  const denied = setup(async () => ({ decision: 'deny', reason: 'no' }));
  denied.screens.onScreen(TASK.taskId, DIALOG);
  await sleep(150);
  expect(denied.keys).toEqual(['Escape']);

  const changed = setup(async () => {
    changed.pane.rows = DIALOG.map((row) => row.replace('touch approved.txt', 'rm -rf ~'));
    return { decision: 'allow', reason: 'ok' };
  });
  changed.screens.onScreen(TASK.taskId, DIALOG);
  await sleep(150);
  expect(changed.keys).toEqual([]);
});

test('nothing is asked while a hook request is in flight, nor for a screen without a dialog', async () => {
  const s = setup(async () => ({ decision: 'allow', reason: 'ok' }));
  s.pane.hooks = 1;
  s.screens.onScreen(TASK.taskId, DIALOG);
  await sleep(150);
  expect(s.questions).toHaveLength(0);
  s.pane.rows = IDLE;
  s.pane.hooks = 0;
  s.screens.onHookActivity(TASK.taskId);
  s.screens.onScreen(TASK.taskId, IDLE);
  await sleep(150);
  expect(s.questions).toHaveLength(0);
  expect(s.keys).toEqual([]);
});

test('a dialog that disappears while pending aborts the question; no key is sent', async () => {
  let aborted = false;
  const s = setup((_q, signal) => new Promise((resolve) => {
    signal.addEventListener('abort', () => ((aborted = true), resolve({ decision: 'deny', reason: 'gone' })));
  }));
  s.screens.onScreen(TASK.taskId, DIALOG);
  await sleep(150);
  s.pane.rows = IDLE;
  s.screens.onScreen(TASK.taskId, IDLE);
  await sleep(50);
  expect(aborted).toBe(true);
  expect(s.keys).toEqual([]);
});
