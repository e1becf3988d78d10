// Talking to a running service in tests: free ports, polling, HTTP status.
import { createServer } from 'node:net';

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Reply {
  status: number;
  body: string;
}

export async function httpGet(url: string): Promise<Reply> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return { status: response.status, body: await response.text() };
}

/** Polls url until it answers, for up to `ms`; returns the first answer. */
export async function waitForHttp(url: string, ms = 10_000): Promise<Reply> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await httpGet(url);
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within ${ms} ms: ${String(last)}`);
}
