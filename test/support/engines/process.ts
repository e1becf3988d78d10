// Daemons the tests start: one place that spawns them, waits for them and stops them, and
// unmounts what they left mounted.
import { readFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';

export interface Daemon {
  readonly name: string;
  stop(): Promise<void>;
}

/** Starts `file args` in the background, its output to logFile; ready() must resolve within ms. */
export async function startDaemon(
  name: string,
  file: string,
  args: string[],
  options: { logFile: string; env?: Record<string, string>; ready: () => Promise<boolean>; ms?: number; group?: boolean },
): Promise<Daemon> {
  const log = { file: options.logFile, append: true } as const;
  const child: ResultPromise = execa(file, args, {
    env: options.env,
    extendEnv: true,
    stdin: 'ignore',
    stdout: log,
    stderr: log,
    reject: false,
    cleanup: true,
    // group: a daemon that forks workers (fcgiwrap -c N) leads a process group of its own, and
    // stop() signals the whole group: the workers outlive their parent otherwise.
    detached: options.group === true,
  });
  const signal = (name: NodeJS.Signals) => {
    if (options.group && child.pid !== undefined) {
      try {
        process.kill(-child.pid, name);
        return;
      } catch {
        // The group is gone already.
      }
    }
    child.kill(name);
  };
  let exited = false;
  void child.then(() => (exited = true));
  const logTail = (): string => readFileSync(options.logFile, { encoding: 'utf8', flag: 'a+' }).split('\n').slice(-30).join('\n');
  const daemon: Daemon = {
    name,
    async stop() {
      if (exited) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 20_000);
      await child;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.ms ?? 60_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited at start:\n${logTail()}`);
    if (await options.ready().catch(() => false)) return daemon;
    await new Promise((r) => setTimeout(r, 250));
  }
  await daemon.stop();
  throw new Error(`${name} did not become ready within ${options.ms ?? 60_000} ms:\n${logTail()}`);
}

/** Mount points at or below `dir`, deepest first. */
function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything at or below `dir`, deepest first. */
export async function unmountBelow(dir: string): Promise<void> {
  for (const mount of mountsBelow(dir)) await execa('umount', ['-l', mount], { reject: false });
}

/**
 * The fast suites (test/*.test.ts, `npm run test:fast`, which sets DOCKERGO_FAST=1) start no
 * daemon: a suite that does belongs in test/engine/.
 */
export function refuseInFastSuites(what: string): void {
  if (process.env['DOCKERGO_FAST'] === '1') {
    throw new Error(`${what} started in a fast suite: a suite that needs real engines or the cluster belongs in test/engine/`);
  }
}
