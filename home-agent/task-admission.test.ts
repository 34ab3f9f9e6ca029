import { describe, expect, it } from 'vitest';
import { availableLaunchers } from './backends/available.ts';
import { admitTask } from './task-admission.ts';

const workspaces = [{ name: 'repo', path: '/tmp' }];
const launchers = availableLaunchers('');

describe('admitTask', () => {
  it('admits an allowlisted workspace with an available backend', () => {
    const admission = admitTask({ workspace: 'repo', backend: 'shell', prompt: 'echo hi' }, workspaces, launchers);
    expect(admission.ok && admission.workspace.path).toBe('/tmp');
  });

  const cases: [string, { workspace: string; backend: 'shell' | 'claude'; prompt: string }][] = [
    ['unknown-workspace', { workspace: 'other', backend: 'shell', prompt: 'x' }],
    ['backend-unavailable', { workspace: 'repo', backend: 'claude', prompt: 'x' }],
    ['invalid-request', { workspace: 'repo', backend: 'shell', prompt: 'echo \u001b[201~' }],
    ['invalid-request', { workspace: 'repo', backend: 'shell', prompt: 'a\u0000b' }],
    ['invalid-request', { workspace: 'repo', backend: 'shell', prompt: 'bad \ud800 utf-8' }],
    ['invalid-request', { workspace: 'repo', backend: 'shell', prompt: 'x'.repeat(1024 * 1024) }],
    ['invalid-request', { workspace: 'repo', backend: 'shell', prompt: '' }],
  ];
  it.each(cases)('refuses with %s (case %#)', (code, task) => {
    const admission = admitTask(task, workspaces, launchers);
    expect(admission.ok ? null : admission.error.code).toBe(code);
  });
});
