// The few Worker API calls `npm start` (and tests) make as the owner: sign-in link, sign-in, device approval.
import { SignInLinkResponse, WorkspaceList } from '../protocol/index.ts';

async function expectOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what} failed: HTTP ${res.status} ${await res.text()}`);
  return res;
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Mints a one-time sign-in link for `owner` (creating the owner on first use). Returns the link URL. */
export async function mintSignInLink(origin: string, setupSecret: string, owner: string): Promise<string> {
  const res = await expectOk(
    await fetch(`${origin}/api/setup/sign-in-link`, json({ owner }, { authorization: `Bearer ${setupSecret}` })),
    'minting a sign-in link',
  );
  return SignInLinkResponse.parse(await res.json()).url;
}

/** Redeems a sign-in link (its `#signin=` fragment) and returns the session cookie as `name=value`. */
export async function signInWithLink(origin: string, link: string): Promise<string> {
  const token = new URL(link).hash.replace(/^#signin=/, '');
  const res = await expectOk(await fetch(`${origin}/api/auth/sign-in`, json({ token })), 'signing in');
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hearth_session='));
  if (!cookie) throw new Error('sign-in set no hearth_session cookie');
  return cookie.split(';')[0] ?? '';
}

/** Approves an agent's RFC 8628 user_code as the signed-in owner. */
export async function approveDevice(origin: string, cookie: string, userCode: string): Promise<void> {
  await expectOk(await fetch(`${origin}/api/device/approve`, json({ user_code: userCode }, { cookie })), 'approving the device');
}

/** Waits until one of the owner's agents has reported its capabilities; returns its name. */
export async function waitForAgent(origin: string, cookie: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${origin}/api/workspaces`, { headers: { cookie } });
    if (res.ok) {
      const list = WorkspaceList.parse(await res.json());
      const agent = list.agents.find((a) => a.lastSeenAt !== null);
      if (agent && list.workspaces.length > 0) return agent.name;
    }
    if (Date.now() > deadline) throw new Error('the home agent did not connect');
    await new Promise((r) => setTimeout(r, 500));
  }
}

