// The benchmark's measurements, shared by `npm run bench` (test/bench/benchmark.ts: every
// measurement RUNS times on its full input, written to docs/benchmarks.md) and by its smoke round
// in the test run (test/bench/smoke.test.ts: each once, on its smallest input, on the engines
// and the cluster the suites already started). See docs/benchmarks.md for what each one means.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Builder } from '../support/engines/builder.js';
import type { Engines } from '../support/engines/engines.js';
import type { Cluster } from '../support/engines/kubernetes.js';
import type { LoadResult } from '../support/load.js';
import { clusterTools } from '../support/engines/tools.js';
import { deploy, deployEnv, loadDuring, loadDuringRestart, pullSecret, removeDrain } from '../support/rollout.js';
import { basesOf } from '../support/variants.js';
import { baseImages } from '../support/dockerfile-rules.js';
import { bytesBelow, cleanup, PACKAGE_ROOT, read } from '../support/project.js';
import { checkoutModule } from '../support/modules.js';
import { PROGRAMS } from '../support/programs.js';

export interface BenchOptions {
  /** Rounds of each timed measurement (the build race, deploys, rollouts). */
  runs: number;
  /** Runs of each generator command. */
  generatorRuns: number;
  /** The smoke round's inputs: the CI-cache rebuild on the generated project rather than a corpus module. */
  smoke: boolean;
  /** A scratch folder, removed by the caller. */
  root: string;
}

export const NAME = 'svc';
export const GO_VERSION = '1.26.8';

export type Way = 'ours' | 'classic' | 'single';
export const WAYS: Way[] = ['ours', 'classic', 'single'];
export type Measure = 'cold' | 'goEdit' | 'readmeEdit' | 'noop';
export const MEASURES: Measure[] = ['cold', 'goEdit', 'readmeEdit', 'noop'];

// What the well-known guides write.
export const CLASSIC = `FROM golang:${GO_VERSION}-alpine AS build
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /app/server .

FROM alpine:3.24
COPY --from=build /app/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
`;
const SINGLE = `FROM golang:${GO_VERSION}-alpine
WORKDIR /app
COPY . .
RUN go build -o /server .
EXPOSE 8080
CMD ["/server"]
`;

// Two real third-party modules (prometheus/client_golang brings several more), linked in.
const DEPS_GO = `package main

import (
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Added by the benchmark: third-party modules that the binary really links.
var (
	instanceID = uuid.NewString()
	requests   = prometheus.NewCounter(prometheus.CounterOpts{Name: "bench_requests_total", Help: "Requests."})
	metrics    = promhttp.Handler()
)
`;

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

const BIN = path.join(PACKAGE_ROOT, 'dist/generator-dockergo.js');

/** The smoke round's program: the least a Go build compiles (the runtime and a few packages), so a cold build is short. */
const SMALLEST_MAIN = 'package main\n\n// A program that does nothing: the smoke round\'s smallest input.\nfunc main() {}\n';

/**
 * The benchmark's service in root/folder, generated with `base` and `extra` flags; with its
 * third-party dependencies when `deps`, or (`smallest`) its program replaced by one that does nothing.
 */
export async function generatedService(
  o: BenchOptions,
  folder: string,
  base: 'alpine' | 'scratch',
  { deps = false, smallest = false, extra = [] as string[] }: { deps?: boolean; smallest?: boolean; extra?: string[] } = {},
): Promise<string> {
  const dir = path.join(o.root, folder);
  await execa(process.execPath, [BIN, '--yes', '--skip-install', '--module', `example.com/bench/${NAME}`, '--go-version', GO_VERSION, '--base', base, ...extra, dir]);
  if (deps) writeFileSync(path.join(dir, 'deps.go'), DEPS_GO);
  if (smallest) {
    writeFileSync(path.join(dir, 'main.go'), SMALLEST_MAIN);
    rmSync(path.join(dir, 'main_test.go'));
  }
  await execa('go', ['mod', 'tidy'], { cwd: dir });
  // With no dependency, tidy writes no go.sum; the classic Dockerfile copies one all the same.
  if (!existsSync(path.join(dir, 'go.sum'))) writeFileSync(path.join(dir, 'go.sum'), '');
  return dir;
}

/** How many modules go.sum pins (each has a line for its zip, not only for its go.mod). */
export function moduleCount(dir: string): number {
  const lines = read(dir, 'go.sum').split('\n').filter((l) => l !== '' && !/\/go\.mod /.test(l));
  return new Set(lines.map((l) => l.split(' ')[0])).size;
}

/** One build context per way, each a copy of the same generated service; scratch is its own generation. */
export function contexts(o: BenchOptions, service: string, scratch: string): Record<Way | 'scratch', string> {
  const out = { scratch } as Record<Way | 'scratch', string>;
  for (const way of WAYS) {
    const dir = path.join(o.root, way);
    cpSync(service, dir, { recursive: true });
    if (way !== 'ours') {
      rmSync(path.join(dir, '.dockerignore'));
      writeFileSync(path.join(dir, 'Dockerfile'), way === 'classic' ? CLASSIC : SINGLE);
    }
    out[way] = dir;
  }
  return out;
}

// Edits must be new to the builder: layers from an earlier benchmark with the same edit would be cache hits.
const NONCE = `${Date.now().toString(36)}-${process.pid}`;

export interface EngineResults {
  images: Builder;
  bases: string[];
  times: Record<Way, Record<Measure, number[]>>;
  reran: Record<Way, number[]>;
  size: Record<string, number>;
  binary: number;
}

/** The build race on one engine: each way cold, then after a `.go` edit, a README edit, and nothing; then the sizes. */
export async function onEngine(o: BenchOptions, images: Builder, dirs: Record<Way | 'scratch', string>, log = console.log): Promise<EngineResults> {
  const bases = await images.prepareBases([...baseImages(CLASSIC), ...baseImages(read(dirs.ours, 'Dockerfile'))]);
  log(`builder: ${images.name}\n${bases.join('\n')}`);
  const times: Record<Way, Record<Measure, number[]>> = Object.fromEntries(WAYS.map((w) => [w, Object.fromEntries(MEASURES.map((m) => [m, []]))])) as never;
  const reran: Record<Way, number[]> = { ours: [], classic: [], single: [] };
  const tag = (way: string) => `localhost/dockergo-bench-${way}:latest-run`;
  for (let run = 0; run < o.runs; run++) {
    // Alternate: each round starts with a different way.
    for (const way of WAYS.map((_, i) => WAYS[(i + run) % WAYS.length]!)) {
      const dir = dirs[way];
      await images.clearCache();
      times[way].cold.push((await timed(() => images.build(dir, { tag: tag(way), noCache: true }))).ms);
      writeFileSync(path.join(dir, 'main.go'), `${read(dir, 'main.go')}// edit ${NONCE}-${run}\n`);
      times[way].goEdit.push((await timed(() => images.build(dir, { tag: tag(way) }))).ms);
      writeFileSync(path.join(dir, 'README.md'), `${read(dir, 'README.md')}\nedit ${NONCE}-${run}\n`);
      const readme = await timed(() => images.build(dir, { tag: tag(way) }));
      times[way].readmeEdit.push(readme.ms);
      reran[way].push(readme.result.steps - readme.result.cached);
      times[way].noop.push((await timed(() => images.build(dir, { tag: tag(way) }))).ms);
      log(`run ${run + 1}/${o.runs} ${way}: ${MEASURES.map((m) => `${m} ${(times[way][m].at(-1)! / 1000).toFixed(2)} s`).join(', ')}`);
    }
  }
  const size: Record<string, number> = {};
  for (const way of [...WAYS, 'scratch'] as const) {
    await images.build(dirs[way], { tag: tag(way) });
    size[way] = (await images.inspect(tag(way))).size;
  }
  const binary = await images.withContainer(tag('scratch'), async (c) => readFileSync(path.join(await c.rootfs(), `/usr/local/bin/${NAME}`)).length);
  await images.remove([...WAYS, 'scratch'].map(tag));
  return { images, bases, times, reran, size, binary };
}

/**
 * Median wall time of the standalone bin and of `yo dockergo`, runs alternating, both from the
 * packed tarball installed (with yo 7) in `prefix`, run as the same unprivileged user when root.
 */
export async function generatorTimes(o: BenchOptions, prefix: string): Promise<{ bin: number; yo: number; runs: number }> {
  const root = path.join(o.root, 'generator');
  mkdirSync(root, { mode: 0o755 });
  chmodSync(o.root, 0o755);
  // yo refuses to run as root: both run as an unprivileged user then, for a fair race.
  const asRoot = process.getuid?.() === 0;
  const home = path.join(root, 'home');
  mkdirSync(home);
  if (asRoot) chownSync(home, 65534, 65534);
  const run = async (kind: 'bin' | 'yo', n: number): Promise<number> => {
    const out = path.join(root, `gen-${kind}-${n}`);
    mkdirSync(out);
    if (asRoot) chownSync(out, 65534, 65534);
    const entry = kind === 'bin' ? [path.join(prefix, 'node_modules/generator-dockergo/dist/generator-dockergo.js')] : [path.join(prefix, 'node_modules/yo/lib/cli.js'), 'dockergo'];
    const command = [process.execPath, ...entry, '--yes', '--module', 'example.com/bench/gen'];
    const env = { HOME: home, NODE_PATH: path.join(prefix, 'node_modules'), NO_UPDATE_NOTIFIER: '1', GOCACHE: path.join(home, 'go-build'), GOPATH: path.join(home, 'go') };
    const argv = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...command] : command;
    return (await timed(() => execa(argv[0]!, argv.slice(1), { cwd: out, env }))).ms;
  };
  const bin: number[] = [];
  const yo: number[] = [];
  await run('bin', -1); // warm the file cache once for both
  await run('yo', -1);
  for (let n = 0; n < o.generatorRuns; n++) {
    const order = n % 2 === 0 ? (['bin', 'yo'] as const) : (['yo', 'bin'] as const);
    for (const kind of order) (kind === 'bin' ? bin : yo).push(await run(kind, n));
  }
  return { bin: median(bin), yo: median(yo), runs: o.generatorRuns };
}

export interface KubernetesResults {
  version: string;
  startSeconds: number;
  deploySeconds: number[];
  drained: LoadResult[];
  control: LoadResult[];
  /** The same service as a Helm chart: deploys, and helm upgrades under load with the drain and without. */
  helm: { deploySeconds: number[]; drained: LoadResult[]; control: LoadResult[] };
}

/** On the test cluster: ./build.sh deploy dev (cold, then warm), then rolling updates under load, with and without the drain. */
export async function onCluster(o: BenchOptions, e: Engines, k: Cluster, log = console.log): Promise<KubernetesResults> {
  await e.useEngine('today');
  const dir = await generatedService(o, 'deployed', 'scratch', { extra: ['--deploy', 'kubernetes'] });
  const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
  await e.prepareBases(refs);
  const ns = await k.restrictedNamespace(`bench-${process.pid}-${Date.now() % 100000}`);
  await pullSecret(e, k, ns);
  const deploySeconds: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    // Each deploy pushes a new image (a new VERSION label), so each is a real rollout.
    deploySeconds.push((await deploy(dir, deployEnv(e, k, ns, 'bench', { ...pinned, VERSION: `v0.0.${i}` }))).seconds);
  }
  const drained: LoadResult[] = [];
  for (let i = 0; i < o.runs; i++) drained.push(await loadDuringRestart(k, ns, NAME));
  await removeDrain(k, ns, NAME);
  const control: LoadResult[] = [];
  for (let i = 0; i < o.runs; i++) control.push(await loadDuringRestart(k, ns, NAME));
  log(`deploys ${deploySeconds.map((s) => `${s.toFixed(1)} s`).join(', ')}; failed requests with the drain ${drained.map((r) => r.failed).join(', ')}, without ${control.map((r) => r.failed).join(', ')}`);
  await k.run(['delete', 'namespace', ns, '--wait=false']);
  cleanup(dir);
  const helm = await onHelm(o, e, k, pinned);
  log(`helm: deploys ${helm.deploySeconds.map((s) => `${s.toFixed(1)} s`).join(', ')}; failed requests across helm upgrade with the drain ${helm.drained.map((r) => r.failed).join(', ')}, without ${helm.control.map((r) => r.failed).join(', ')}`);
  return { version: k.version, startSeconds: k.startSeconds, deploySeconds, drained, control, helm };
}

/** The same with --deploy helm: ./build.sh deploy dev (helm upgrade --install), then helm upgrades under load, the control with drainSeconds: 0 in values-dev.yaml. */
async function onHelm(o: BenchOptions, e: Engines, k: Cluster, pinned: Record<string, string>): Promise<KubernetesResults['helm']> {
  const dir = await generatedService(o, 'charted', 'scratch', { extra: ['--deploy', 'helm'] });
  const ns = await k.restrictedNamespace(`bench-helm-${process.pid}-${Date.now() % 100000}`);
  await pullSecret(e, k, ns);
  let n = 0;
  const release = () => deploy(dir, deployEnv(e, k, ns, 'bench', { ...pinned, HELM: clusterTools().helm, VERSION: `v0.1.${n++}` }));
  const deploySeconds: number[] = [];
  for (let i = 0; i < o.runs; i++) deploySeconds.push((await release()).seconds);
  const upgrade = () => release().then(() => undefined);
  const drained: LoadResult[] = [];
  for (let i = 0; i < o.runs; i++) drained.push(await loadDuring(k, ns, NAME, upgrade));
  const values = path.join(dir, `deploy/helm/${NAME}/values-dev.yaml`);
  // As a user would: the dev values (generated as `{}`) set the drain to nothing.
  const text = readFileSync(values, 'utf8');
  assert.match(text, /^\{\}$/m);
  writeFileSync(values, text.replace(/^\{\}$/m, 'drainSeconds: 0'));
  await release();
  const control: LoadResult[] = [];
  for (let i = 0; i < o.runs; i++) control.push(await loadDuring(k, ns, NAME, upgrade));
  await k.run(['delete', 'namespace', ns, '--wait=false']);
  cleanup(dir);
  return { deploySeconds, drained, control };
}

export interface CacheResults {
  module: string;
  buildkit: string;
  cold: number;
  layersOnly: number;
  restored: number;
  warm: number;
  exported: number;
  layersBytes: number;
  mountsBytes: number;
}

// The CI-runner rebuild: a corpus module with a real dependency tree (the smoke round: the
// generated service), each build on a new buildkitd with an empty state folder, side by side.
const CACHE_MODULE = PROGRAMS.find((m) => m.module === 'github.com/oauth2-proxy/oauth2-proxy/v7')!;

export async function ciCache(o: BenchOptions, e: Engines, log = console.log): Promise<CacheResults> {
  await e.useEngine('today');
  const m = CACHE_MODULE;
  let dir: string;
  let module: string;
  if (o.smoke) {
    dir = await generatedService(o, 'cached', 'alpine', { smallest: true });
    module = `the generated service (example.com/bench/${NAME})`;
  } else {
    dir = await checkoutModule(m.module, m.version, 'oauth2-proxy');
    await execa(process.execPath, [BIN, 'docker', '--yes', '--force', ...(m.flags ?? [])], { cwd: dir });
    module = `${m.module} ${m.version}`;
  }
  await e.prepareBases(basesOf(read(dir, 'Dockerfile')).refs);
  const cache = path.join(o.root, 'ci-cache');
  const image = 'dockergo-bench-cache:run';
  let edits = 0;
  const edit = () => writeFileSync(path.join(dir, 'main.go'), `${read(dir, 'main.go')}// edit ${NONCE}-${++edits}\n`);
  const buildSh = (builder: string, extra: Record<string, string> = {}) =>
    timed(() => execa('./build.sh', ['build'], { cwd: dir, env: e.env({ BUILDX_BUILDER: builder, IMAGE: image, VERSION: 'v0.0.0-bench', ...extra }) }));
  const onNew = async <T>(work: (builder: string) => Promise<T>): Promise<T> => {
    const b = await e.newBuilder();
    try {
      return await work(b.name);
    } finally {
      await b.stop();
    }
  };
  const { cold, exported } = await onNew(async (b) => {
    const coldRun = await buildSh(b);
    // The same build again with CACHE_DIR: every step cached, so its time is the export's.
    const exportRun = await buildSh(b, { CACHE_DIR: cache });
    return { cold: coldRun.ms, exported: exportRun.ms };
  });
  edit();
  const go = (await execa('./build.sh', ['go-version'], { cwd: dir })).stdout.trim();
  const layersOnly = await onNew(async (b) =>
    (await timed(() => execa('docker', ['buildx', 'build', '--builder', b, '--build-arg', `GO_VERSION=${go}`, '--build-arg', 'VERSION=v0.0.0-bench',
      '--cache-from', `type=local,src=${cache}/layers`, '--load', '-t', image, '.'], { cwd: dir, env: e.env() }))).ms);
  edit();
  const { restored, warm } = await onNew(async (b) => {
    const restoredRun = await buildSh(b, { CACHE_DIR: cache, CACHE_EXPORT: 'false' });
    edit();
    const warmRun = await buildSh(b);
    return { restored: restoredRun.ms, warm: warmRun.ms };
  });
  const result = {
    module, buildkit: e.buildkitd.version, cold, layersOnly, restored, warm, exported,
    layersBytes: bytesBelow(path.join(cache, 'layers')), mountsBytes: bytesBelow(path.join(cache, 'mounts')),
  };
  log(`ci cache: ${JSON.stringify(result)}`);
  await execa('docker', ['rmi', '--force', image], { env: e.env(), reject: false });
  cleanup(o.smoke ? dir : path.dirname(dir));
  cleanup(cache);
  return result;
}
