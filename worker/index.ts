// The Worker entry: wires the Hono app (HTTP) and the cron sweep (scheduled). No logic here.
import { createApp } from './app.ts';
import { createScheduled } from './scheduled.ts';

const deps = { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init), now: () => Date.now() };

export default {
  fetch: createApp(deps).fetch,
  scheduled: createScheduled(deps),
} satisfies ExportedHandler<Record<string, unknown>>;
