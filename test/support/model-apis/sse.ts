// Writing HTTP answers for the scripted model server: JSON bodies and Server-Sent Events (WHATWG HTML §9.2).
import type { ServerResponse } from 'node:http';

/** Send `body` as JSON with `status` and end the response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Start an SSE stream (status 200, `text/event-stream`). */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** One SSE event: an optional `event:` line, one `data:` line of JSON, and the blank line (`\r\n` if asked). */
export function sendEvent(res: ServerResponse, event: string | null, data: unknown, newline = '\n'): void {
  res.write(`${event ? `event: ${event}${newline}` : ''}data: ${JSON.stringify(data)}${newline}${newline}`);
}
