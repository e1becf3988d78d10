// `npm test`: every suite, in two lanes at once, each a mocha process of its own.
//   - The engine lane (test/engine/, then the benchmark's smoke round) at normal priority: the suites
//     that need a real engine, the cluster or a server. Its output streams.
//   - The fast lane (test/, no engine: DOCKERGO_FAST=1; and the suites of test/engine/ that start
//     only servers of their own) at a lower priority (nice 10): it takes the CPU the engine suites
//     leave while they wait on containers, pods and pulls. Its output is printed when it ends.
// Why two lanes: on two cores the engine suites keep one busy at most half the time, and the fast
// suites need no engine; run one after the other, the idle half is lost (docs/testing.md measures it).
// The engine lane's order: the suite that needs no built tool first, the cluster's last, since a
// fresh machine builds the engines' tools first and the cluster's last (.ci/run).
//   - DOCKERGO_STATE=FILE: the machine's state is written here before either lane starts, for the
//     leave-no-trace check (.ci/run); DOCKERGO_STARTED=FILE is made as the lanes start, once the
//     build is done, and DOCKERGO_FAST_DONE=FILE when the fast lane ends (.ci/run's Node 24 lane
//     waits for it).
// Extra arguments go to both lanes' mocha (npm test -- --grep x). Exit status 1 when a lane failed.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MOCHA = path.join(ROOT, 'node_modules/mocha/bin/mocha.js');

/**
 * Engine suites that go first: the buildah suite needs no tool that a fresh machine builds (buildah is
 * Debian's), so it runs while .ci/run builds the engines; and last: the cluster's, whose tools are
 * built last.
 */
const FIRST = ['images'];
const LAST = ['kubernetes', 'helm'];
/**
 * Suites of test/engine/ that start servers of their own (nginx, git) but no engine and no cluster:
 * they run in the fast lane, which has CPU to spare, and not on the engine lane, which is the run's
 * critical path. They stay in test/engine/, as `npm run test:fast` needs no server.
 */
const SERVERS_ONLY = ['fleet'];

function engineNames(): string[] {
  return readdirSync(path.join(ROOT, 'test/engine')).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -'.test.js'.length));
}

function engineFiles(): string[] {
  const rank = (n: string) => (FIRST.includes(n) ? -1 : LAST.includes(n) ? 1 + LAST.indexOf(n) : 0);
  const ordered = engineNames().filter((n) => !SERVERS_ONLY.includes(n)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return [...ordered.map((n) => `test/engine/${n}.test.js`), 'test/bench/smoke.test.js'];
}

function fastFiles(): string[] {
  const servers = engineNames().filter((n) => SERVERS_ONLY.includes(n)).map((n) => `test/engine/${n}.test.js`);
  return [...servers, ...readdirSync(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.js')).sort().map((f) => `test/${f}`)];
}

interface Lane {
  name: string;
  done: Promise<number>;
}

function lane(name: string, files: string[], extra: string[], { nice, env, log }: { nice: number; env: NodeJS.ProcessEnv; log?: string }): Lane {
  const command = nice > 0 ? 'nice' : process.execPath;
  const args = [...(nice > 0 ? ['-n', String(nice), process.execPath] : []), MOCHA, ...files, ...extra];
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', log ? 'pipe' : 'inherit', log ? 'pipe' : 'inherit'] });
  if (log) {
    const out = createWriteStream(log);
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  return { name, done: new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1))) };
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  const { DOCKERGO_STATE: state, DOCKERGO_STARTED: started, ...env } = process.env;
  if (state) writeFileSync(state, execFileSync('bash', [path.join(ROOT, 'test/engines/machine-state.sh')]));
  if (started) writeFileSync(started, '');
  const log = path.join(tmpdir(), `dockergo-fast-lane-${process.pid}.log`);
  const engine = lane('engine', engineFiles(), extra, { nice: 0, env });
  const fast = lane('fast', fastFiles(), extra, { nice: 10, env: { ...env, DOCKERGO_FAST: '1' }, log });
  // DOCKERGO_FAST_DONE=FILE: made when the fast lane ends (.ci/run then starts the Node 24 lane on the CPU it frees).
  const fastDone = env['DOCKERGO_FAST_DONE'];
  if (fastDone) void fast.done.then(() => writeFileSync(fastDone, ''));
  const [engineStatus, fastStatus] = await Promise.all([engine.done, fast.done]);
  process.stdout.write(`\n== the fast lane (test/, beside the engine lane), exit ${fastStatus}\n${readFileSync(log, 'utf8')}`);
  rmSync(log, { force: true });
  process.stdout.write(`\n== npm test: engine lane exit ${engineStatus}, fast lane exit ${fastStatus}\n`);
  return engineStatus === 0 && fastStatus === 0 ? 0 : 1;
}

process.exitCode = await main();
