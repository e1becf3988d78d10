// Talking to a running service in tests: free ports, polling, HTTP status.
import { createServer } from 'node:net';

/** Ports handed out in this run, never handed out twice. */
const given = new Set<number>();

/**
 * A TCP port nothing listens on now, below Linux's ephemeral range (32768-60999): a port the
 * kernel gave out, as listen(0) does, may be taken meanwhile as the source port of any outgoing
 * connection (to a registry, a proxy), and the service's own bind then fails. Checked on every
 * address, as the services bind.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    if (given.has(port)) continue;
    if (await bindable(port)) {
      given.add(port);
      return port;
    }
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
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
