// A steady HTTP load, as a service's clients make it: half the workers on persistent keep-alive
// connections (a client's connection pool), half on a new connection per request. A pooled
// request that fails on a reused idle connection the server had closed is retried once, as HTTP
// allows for an idempotent request and as Go's Transport and urllib3 do; nothing else is retried.
import http from 'node:http';

export interface LoadResult {
  sent: number;
  failed: number;
  /** Pooled requests retried once on a new connection after their reused one turned out closed. */
  retried: number;
  /** The first few failures, for the message. */
  errors: string[];
  seconds: number;
  /** Requests per second over the run. */
  rate: number;
}

export interface LoadOptions {
  workers: number;
  /** Pause between one worker's requests. */
  intervalMs: number;
  /** The load stops when this settles, or at maxSeconds, or at maxRequests. */
  until: Promise<unknown>;
  maxSeconds: number;
  maxRequests: number;
}

type Outcome = { ok: true } | { ok: false; error: string; reusedClosed: boolean };

function get(url: URL, agent: http.Agent | false): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 5000, headers: agent === false ? { connection: 'close' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? { ok: true } : { ok: false, error: `HTTP ${res.statusCode}`, reusedClosed: false }));
      res.on('error', (error) => resolve({ ok: false, error: String(error), reusedClosed: false }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout after 5 s')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Node's own advice: a request on a reused socket that the server closed meanwhile fails with ECONNRESET.
      const reusedClosed = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE' || /socket hang up/.test(error.message));
      resolve({ ok: false, error: `${error.code ?? ''} ${error.message}`.trim(), reusedClosed });
    });
  });
}

export async function steadyLoad(target: string, options: LoadOptions): Promise<LoadResult> {
  const url = new URL(target);
  const result: LoadResult = { sent: 0, failed: 0, retried: 0, errors: [], seconds: 0, rate: 0 };
  let stop = false;
  void options.until.finally(() => (stop = true));
  const started = Date.now();
  const deadline = started + options.maxSeconds * 1000;
  const worker = async (pooled: boolean): Promise<void> => {
    const agent = pooled ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
    try {
      while (!stop && Date.now() < deadline && result.sent < options.maxRequests) {
        result.sent++;
        let outcome = await get(url, agent);
        if (!outcome.ok && outcome.reusedClosed) {
          result.retried++;
          outcome = await get(url, agent);
        }
        if (!outcome.ok) {
          result.failed++;
          if (result.errors.length < 10) result.errors.push(`${pooled ? 'pooled' : 'fresh'} at ${new Date().toISOString().slice(11, 19)}: ${outcome.error}`);
        }
        await new Promise((r) => setTimeout(r, options.intervalMs));
      }
    } finally {
      if (agent) agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i % 2 === 0)));
  result.seconds = (Date.now() - started) / 1000;
  result.rate = result.sent / result.seconds;
  return result;
}
