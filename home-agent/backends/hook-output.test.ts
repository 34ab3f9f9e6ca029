import { describe, expect, test } from 'vitest';
import { hookOutput } from './hook-output.ts';

describe('hookOutput', () => {
  test.each(['claude', 'codex'] as const)('%s: PermissionRequest decision JSON', (backend) => {
    expect(JSON.parse(hookOutput(backend, { decision: 'allow', reason: 'ok' }))).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } },
    });
    expect(JSON.parse(hookOutput(backend, { decision: 'deny', reason: 'denied from the phone' }))).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'denied from the phone' } },
    });
  });

  test('gemini: BeforeTool top-level decision JSON', () => {
    expect(JSON.parse(hookOutput('gemini', { decision: 'allow', reason: 'ok' }))).toEqual({ decision: 'allow', reason: 'ok' });
    expect(JSON.parse(hookOutput('gemini', { decision: 'deny', reason: 'no' }))).toEqual({ decision: 'deny', reason: 'no' });
  });

  test('one line, the reason cut short', () => {
    const line = hookOutput('claude', { decision: 'deny', reason: `a\n${'x'.repeat(5000)}` });
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(1200);
  });
});
