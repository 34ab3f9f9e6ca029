// The Hono app: security headers on everything, per-request config and db, cross-origin checks and path-wide rate
// limits for /api/*, the /api routes, problem+json errors, and static assets for the rest.
// Wiring only; each route family lives in routes/.
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { drizzle } from 'drizzle-orm/d1';
import type { AppDeps, AppEnv } from './app-env.ts';
import { schema } from './db/schema.ts';
import { parseEnv } from './env.ts';
import { crossOrigin } from './cross-origin.ts';
import { ProblemError, problemResponse, toProblemError } from './problem.ts';
import { limitDeviceCode, limitSignIn } from './rate-limit-rules.ts';
import { auditRoutes } from './routes/audit.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { agentApprovalRoutes } from './routes/agent-approvals.ts';
import { agentFollowUpRoutes } from './routes/agent-follow-ups.ts';
import { agentTaskRoutes } from './routes/agent-tasks.ts';
import { deviceRoutes } from './routes/device.ts';
import { deviceListRoutes } from './routes/devices.ts';
import { phoneApprovalRoutes } from './routes/phone-approvals.ts';
import { phoneTaskRoutes } from './routes/phone-tasks.ts';
import { pushRoutes } from './routes/push.ts';
import { passkeyRoutes } from './routes/passkeys.ts';
import { roomTicketRoutes } from './routes/room-ticket.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { setupRoutes } from './routes/setup.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { securityHeaders } from './security-headers.ts';

/** One line about an unexpected error for the log: its name and message, with any SQL parameters cut off. */
function describeForLog(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const message = err.message.split(/\bparams:/)[0]?.slice(0, 300) ?? '';
  return `${err.name}: ${message}`;
}

/** Build the app with its outside-world dependencies (`fetch` for room notifications, the clock). */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(securityHeaders);
  app.use(requestId());

  app.use('/api/*', async (c, next) => {
    const parsed = parseEnv(c.env);
    if (!parsed.ok) {
      console.error(parsed.error);
      throw new ProblemError(500, 'internal', { detail: parsed.error });
    }
    c.set('config', parsed.config);
    c.set('db', drizzle(parsed.config.db, { schema }));
    c.set('deps', deps);
    await next();
  });
  app.use('/api/*', crossOrigin);

  const api = new Hono<AppEnv>();
  api.use('/auth/*', limitSignIn);
  api.use('/setup/*', limitSignIn);
  api.use('/device/code', limitDeviceCode);
  api.route('/', setupRoutes);
  api.route('/', signInRoutes);
  api.route('/', passkeyRoutes);
  api.route('/', sessionRoutes);
  api.route('/', deviceRoutes);
  api.route('/', deviceListRoutes);
  api.route('/', roomTicketRoutes);
  api.route('/', workspaceRoutes);
  api.route('/', phoneTaskRoutes);
  api.route('/', agentTaskRoutes);
  api.route('/', phoneApprovalRoutes);
  api.route('/', agentApprovalRoutes);
  api.route('/', agentFollowUpRoutes);
  api.route('/', auditRoutes);
  api.route('/', pushRoutes);
  api.route('/', attachmentRoutes);
  api.all('*', () => {
    throw new ProblemError(404, 'not-found');
  });
  app.route('/api', api);

  app.all('*', async (c) => {
    const parsed = parseEnv(c.env);
    if (!parsed.ok) throw new ProblemError(500, 'internal', { detail: parsed.error });
    c.set('config', parsed.config);
    const res = await parsed.config.assets.fetch(c.req.raw);
    return new Response(res.body, res); // mutable headers, for securityHeaders
  });

  app.onError((err, c) => {
    const problem = toProblemError(err);
    if (problem.status >= 500) console.error(`request ${c.var.requestId} failed: ${describeForLog(problem.cause ?? err)}`);
    return problemResponse(problem.toProblem(c.var.requestId), problem.headers);
  });
  app.notFound(() => problemResponse(new ProblemError(404, 'not-found').toProblem()));
  return app;
}
