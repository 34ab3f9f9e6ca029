// The few Worker API calls `npm start` (and tests) make as the owner besides the passkey ceremonies
// (passkey-client.ts): device approval and waiting for the agent.
import { WorkspaceList } from '../protocol/index.ts';
import { postJson } from './passkey-client.ts';

async function expectOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what} failed: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** Approves an agent's RFC 8628 user_code as the signed-in owner (whose passkey must be verified in the last 5 min). */
export async function approveDevice(origin: string, cookie: string, userCode: string): Promise<void> {
  await expectOk(await postJson(origin, '/api/device/approve', { user_code: userCode }, { cookie }), 'approving the device');
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

