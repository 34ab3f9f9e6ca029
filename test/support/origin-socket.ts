// Test support: WebSockets that send an Origin header as a browser page does (phone tickets are bound to the page's
// origin; Node's own WebSocket sends none, like the home agent). Node's WebSocket (undici) takes headers in a second
// argument the DOM typings do not describe.

type NodeWebSocket = new (url: string, init: { headers: Record<string, string> }) => WebSocket;

/** A WebSocket to `url` that sends `origin` as its Origin header; none when `origin` is undefined. */
export function openWebSocket(url: string, origin?: string): WebSocket {
  if (origin === undefined) return new WebSocket(url);
  return new (WebSocket as unknown as NodeWebSocket)(url, { headers: { origin } });
}

/** A constructor for partysocket's `WebSocket` option whose sockets send `origin` as their Origin header. */
export function webSocketFrom(origin: string): unknown {
  return function OriginWebSocket(url: string): WebSocket {
    return openWebSocket(url, origin);
  };
}
