// Security suite, isolation: every route the Worker serves (read from the app; each must have a fixture) refuses a
// caller with no or made-up credentials and another owner (its session, its agent) acting on the victim's task,
// approval, follow-up, session, passkey, device and pairing ids — 0 answers 2xx/3xx, nothing of the victim leaks or
// changes in D1 — and the victim's room refuses another owner's tickets and connections without a valid one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomTicketResponse } from '../../protocol/index.ts';
import { signInWithPasskey } from '../../scripts/passkey-client.ts';
import { PHONE_ORIGIN, roomOutcome, type RoomOutcome } from '../support/room-client.ts';
import { bump, recordFigure, tally, tryRoomEntries } from '../support/security-figures.ts';
import { ROUTE_FIXTURES, appRoutes, attempt, victimMarkers, type Attempt, type Caller, type FixtureContext } from '../support/security-routes.ts';
import { bearer, furnish, ownerRows, startSecurityWorld, type SecurityWorld } from '../support/security-world.ts';
import { mintTicket } from '../support/ticket.ts';

let world: SecurityWorld;
let ctx: FixtureContext;
let markers: string[];

beforeAll(async () => {
  world = await startSecurityWorld();
  const victim = await world.owner('victim-owner');
  const other = await world.owner('other-owner');
  ctx = { world, victim, other, things: await furnish(world, victim) };
  markers = victimMarkers(victim, ctx.things);
});
afterAll(async () => {
  await world?.stop();
});

type Rows = Awaited<ReturnType<typeof ownerRows>>;

/**
 * The victim's rows now equal `before`, except that its audit log may have grown by `sign-in-failed` entries (a
 * refused sign-in with its passkey is logged, by design). Returns how many it grew by.
 */
async function expectUnchanged(before: Rows): Promise<number> {
  const { audit_log: after = [], ...rest } = await ownerRows(world.worker, ctx.victim.ownerId);
  const { audit_log: earlier = [], ...restBefore } = before;
  expect(rest).toEqual(restBefore);
  expect(after.slice(0, earlier.length)).toEqual(earlier);
  const added = after.slice(earlier.length);
  for (const row of added) expect(row).toMatchObject({ action: 'sign-in-failed', actor: 'system' });
  return added.length;
}

/** Every route in the app's order, sign-out last (it ends the caller's session). */
const routes = (): string[] => {
  const all = appRoutes();
  return [...all.filter((r) => r !== 'POST /api/auth/sign-out'), 'POST /api/auth/sign-out'];
};

/** Run every route as each of `callers`; record the figure; the attempts that got through (with why). */
async function sweep(check: string, callers: Caller[]): Promise<{ attempts: Attempt[]; through: Attempt[] }> {
  const attempts: Attempt[] = [];
  for (const caller of callers) {
    for (const route of routes()) attempts.push(await attempt(route, ROUTE_FIXTURES[route]!, caller, ctx, markers));
  }
  const statuses = new Map<number, number>();
  for (const a of attempts) bump(statuses, a.status);
  const through = attempts.filter((a) => a.success);
  const open = attempts.filter((a) => ROUTE_FIXTURES[a.route]!.open && a.status < 300).length;
  recordFigure({
    check,
    attempts: attempts.length,
    successes: through.length,
    detail: `${routes().length} routes; ${tally(statuses)}${open ? ` (${open} 2xx from the routes open to anyone, granting nothing)` : ''}`,
  });
  return { attempts, through };
}

describe('owner isolation', () => {
  it('has a fixture for every route the app serves, and none for a route it does not', () => {
    const served = appRoutes();
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((r) => !(r in ROUTE_FIXTURES)), 'routes without a fixture in test/support/security-routes.ts').toEqual([]);
    expect(Object.keys(ROUTE_FIXTURES).filter((r) => !served.includes(r)), 'fixtures of routes the app no longer serves').toEqual([]);
  });

  it('refuses every route to a caller with no credentials or made-up ones, changing nothing of the owner', async () => {
    const before = await ownerRows(world.worker, ctx.victim.ownerId);
    const { through } = await sweep('every route, no / made-up credentials', ['nobody', 'forged']);
    expect(through.map((a) => `${a.caller} ${a.route}: ${a.why}`)).toEqual([]);
    expect(await expectUnchanged(before)).toBe(2); // the relayed sign-ins (nobody, forged), audited as refused
  });

  it("refuses every route to another owner acting on the victim's ids: 404 like an unknown id, nothing leaked or changed", async () => {
    // Control: the same fixtures reach the victim's things when the victim reads them.
    for (const route of routes().filter((r) => r.startsWith('GET ') && ROUTE_FIXTURES[r]!.scope === 'target')) {
      expect((await attempt(route, ROUTE_FIXTURES[route]!, 'owner', ctx, [])).status, `${route} as the owner`).toBe(200);
    }
    const before = await ownerRows(world.worker, ctx.victim.ownerId);
    const { attempts, through } = await sweep("every route, another owner's session / agent", ['other']);
    expect(through.map((a) => `${a.route}: ${a.why}`)).toEqual([]);
    const byId = attempts.filter((a) => a.route.includes('/:id') && ROUTE_FIXTURES[a.route]!.scope === 'target');
    expect(byId.filter((a) => a.status !== 404).map((a) => `${a.route} answered ${a.status}`)).toEqual([]);
    expect(await expectUnchanged(before)).toBe(1); // the other owner's assertion under the victim's credential id
  });

  it("refuses another owner's tickets, made-up tickets and no ticket at the victim's room", async () => {
    const { room, worker, api } = world;
    const roomUrl = (ticket?: string) => `ws://${room.host}/parties/main/${ctx.victim.ownerId}${ticket === undefined ? '' : `?ticket=${encodeURIComponent(ticket)}`}`;
    const ticketOf = async (auth: string) => {
      const res = await api.post('/api/room-ticket', undefined, auth, auth.startsWith('Bearer ') ? {} : { origin: worker.url });
      expect(res.status).toBe(200);
      return RoomTicketResponse.parse(await res.json()).ticket;
    };
    const tries: Array<[string, () => Promise<RoomOutcome>]> = [
      // A fresh session: the sweep signed the other owner's first one out.
      ["another owner's phone ticket", async () => roomOutcome(roomUrl(await ticketOf(await signInWithPasskey(worker.url, ctx.other.authenticator))), worker.url)],
      ["another owner's agent ticket", async () => roomOutcome(roomUrl(await ticketOf(bearer(ctx.other.agent.token))))],
      ['no ticket, from the page', () => roomOutcome(roomUrl(), worker.url)],
      ['no ticket, as an agent', () => roomOutcome(roomUrl())],
      ['a ticket signed with a made-up key', () => roomOutcome(roomUrl(mintTicket('x'.repeat(43), { sub: ctx.victim.ownerId, role: 'agent', sid: ctx.victim.agent.deviceId })))],
      ['a phone ticket for another page', () => roomOutcome(roomUrl(mintTicket(room.ticketSecret, { sub: ctx.victim.ownerId, role: 'phone', sid: ctx.victim.sessionId, origin: PHONE_ORIGIN })), worker.url)],
    ];
    const entered = await tryRoomEntries("victim's room: other owner's / no / bad ticket", tries);
    expect(entered).toEqual([]);
    // Control: the victim's own phone ticket enters.
    expect(await roomOutcome(roomUrl(await ticketOf(ctx.victim.cookie)), worker.url)).toEqual({ entered: true, how: 'welcome' });
  });
});
