// Security suite, cross-site requests: every state-changing route a page could reach (all but the agent's bearer
// routes), posted with the owner's session cookie from a foreign Origin as an HTML form (urlencoded and multipart),
// as text/plain and as JSON, on the owner's own things — all 403 before anything runs, and not one D1 row changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../protocol/index.ts';
import { bump, recordFigure, tally } from '../support/security-figures.ts';
import { ROUTE_FIXTURES, appRoutes, type FixtureContext, type RouteCall } from '../support/security-routes.ts';
import { databaseRows, furnish, startSecurityWorld, type SecurityWorld } from '../support/security-world.ts';

const EVIL = 'https://evil.example';
let world: SecurityWorld;
let ctx: FixtureContext;

beforeAll(async () => {
  world = await startSecurityWorld();
  const victim = await world.owner('victim-owner');
  const other = await world.owner('other-owner');
  ctx = { world, victim, other, things: await furnish(world, victim) };
});
afterAll(async () => {
  await world?.stop();
});

/** A call's JSON body as each kind of body a cross-site page can send without a preflight, and as JSON. */
function bodies(call: RouteCall): Array<[string, string]> {
  const fields = Object.entries((call.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const);
  const multipart = fields.map(([k, v]) => `--x\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') + '--x--\r\n';
  const json = JSON.stringify(call.body ?? {});
  return [
    ['application/x-www-form-urlencoded', new URLSearchParams(fields.map(([k, v]) => [k, v])).toString()],
    ['multipart/form-data; boundary=x', multipart],
    ['text/plain', json],
    ['application/json', json],
  ];
}

describe('cross-origin writes', () => {
  it("are refused with 403 as form, text and JSON on every state-changing page route, and change nothing in D1", async () => {
    const routes = appRoutes().filter((r) => !r.startsWith('GET ') && ROUTE_FIXTURES[r]!.auth !== 'agent');
    expect(routes.length).toBeGreaterThan(20);
    // Build every call first (some fixtures fetch a challenge), then freeze D1.
    const calls: Array<[string, RouteCall]> = [];
    for (const route of routes) calls.push([route, await ROUTE_FIXTURES[route]!.call(ctx, 'owner')]);
    const before = await databaseRows(world.worker);

    const statuses = new Map<number, number>();
    const through: string[] = [];
    let attempts = 0;
    for (const [route, call] of calls) {
      for (const [type, body] of bodies(call)) {
        attempts++;
        const res = await fetch(`${world.worker.url}${call.path}`, {
          method: call.method,
          headers: { origin: EVIL, cookie: ctx.victim.cookie, 'content-type': type },
          body,
          redirect: 'manual',
        });
        const problem = Problem.safeParse(await res.json().catch(() => null));
        const refused = res.status === 403 && problem.success && problem.data.detail === 'cross-origin request';
        bump(statuses, res.status);
        if (!refused) through.push(`${route} as ${type}: ${res.status}`);
      }
    }
    recordFigure({ check: 'cross-origin writes with the cookie (form, multipart, text, JSON)', attempts, successes: through.length, detail: `${routes.length} routes × 4 bodies; ${tally(statuses)}` });
    expect(through).toEqual([]);
    expect(await databaseRows(world.worker)).toEqual(before);
    // Control: the cookie is live — the same session reads its tasks.
    expect((await world.api.get('/api/tasks', ctx.victim.cookie)).status).toBe(200);
  });
});
