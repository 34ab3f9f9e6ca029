// A free TCP port on 127.0.0.1 for a test server (asked of the kernel by listening on port 0).
import { createServer } from 'node:net';

/** A port that was free a moment ago; another process could still take it before the caller binds it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
