import { describe, expect, it } from 'vitest';
import { REVOKED_MESSAGE, createRevocation, reportingUnauthorized } from './revocation.ts';

describe('reportingUnauthorized', () => {
  it('reports a 401 answer, passes every answer through, and reports nothing else', async () => {
    const statuses = [200, 401, 403, 500, 401];
    let reported = 0;
    const fetcher = reportingUnauthorized(async () => new Response(null, { status: statuses.shift() }), () => reported++);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) seen.push((await fetcher('http://worker.test/api/x')).status);
    expect(seen).toEqual([200, 401, 403, 500, 401]);
    expect(reported).toBe(2);
  });
});

describe('createRevocation', () => {
  it('logs one line, stops, then kills the tasks, once however often it is triggered', async () => {
    const steps: string[] = [];
    const revocation = createRevocation({
      log: (line) => steps.push(`log: ${line}`),
      report: (error) => steps.push(`error: ${String(error)}`),
      stop: async () => void steps.push('stop'),
      killTasks: async () => void steps.push('kill'),
    });
    revocation.trigger();
    revocation.trigger();
    await revocation.done;
    revocation.trigger();
    expect(steps).toEqual([`log: ${REVOKED_MESSAGE}`, 'stop', 'kill']);
    expect(REVOKED_MESSAGE).toContain('hearth login');
  });

  it('still kills the tasks when stopping fails, and reports the failure', async () => {
    const steps: string[] = [];
    const revocation = createRevocation({
      log: () => undefined,
      report: (error) => steps.push(`reported ${(error as Error).message}`),
      stop: async () => {
        throw new Error('tmux went away');
      },
      killTasks: async () => void steps.push('kill'),
    });
    revocation.trigger();
    await revocation.done;
    expect(steps).toEqual(['reported tmux went away', 'kill']);
  });
});
