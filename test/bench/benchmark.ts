// `npm run bench`: builds one generated service three ways (our Dockerfile, the guides' classic
// multi-stage one, a single-stage one) with the same builder and base images, alternating runs,
// times the generator itself (the standalone bin against `yo`), and on the test cluster times
// `./build.sh deploy` and counts failed requests across a rolling update, with the preStop drain
// and without it (the control), the same with the Helm chart across `helm upgrade`, and times a rebuild on a new, empty builder with the CACHE_DIR
// cache restored, beside cold and the warm local builder; and `fleet` on a git server (fleet.ts). Writes docs/benchmarks.md and the
// README's summary table. The measurements are test/bench/measure.ts; the test run has a smoke
// round of them (test/engine/benchmark.test.ts).
//   node test/bench/benchmark.js [--runs N] [--out FILE] [--no-readme] [--only ci-cache|fleet|kubernetes]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildahBuilder, buildkitBuilder } from '../support/engines/builder.js';
import { stopContainers } from '../support/engines/containers.js';
import { engines, stopEngines } from '../support/engines/engines.js';
import { cluster, stopCluster } from '../support/engines/kubernetes.js';
import { packedPackage, removePackedPackage } from '../support/packed.js';
import { cleanup, PACKAGE_ROOT, tempDir } from '../support/project.js';
import { ciCache, contexts, generatedService, generatorTimes, moduleCount, onCluster, onEngine, type BenchOptions } from './measure.js';
import { fleetBench } from './fleet.js';
import { CACHE_TITLE, ciCacheSection, FLEET_TITLE, fleetSection, KUBERNETES_TITLE, kubernetesSection, markdown, spliceSection } from './report.js';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(PACKAGE_ROOT, 'docs/benchmarks.md') },
    'no-readme': { type: 'boolean', default: false },
    // Measure one section and splice it into --out: "ci-cache", "fleet" or "kubernetes".
    only: { type: 'string' },
  },
});

const BENCH_START = '<!-- bench:start (written by `npm run bench`) -->';
const BENCH_END = '<!-- bench:end -->';

/** One section, measured alone: its text, its title, and the title of the section after it. */
async function onlySection(only: 'ci-cache' | 'fleet' | 'kubernetes', o: BenchOptions): Promise<[string, string, string]> {
  if (only === 'fleet') return [fleetSection(await fleetBench(o, (await packedPackage()).bin)), FLEET_TITLE, '## The generator'];
  const e = await engines();
  if (only === 'ci-cache') return [ciCacheSection(await ciCache(o, e)), CACHE_TITLE, FLEET_TITLE];
  const k = await onCluster(o, e, await cluster(() => Promise.resolve(e)));
  return [kubernetesSection(k), KUBERNETES_TITLE, CACHE_TITLE];
}

async function main(): Promise<void> {
  const runs = Number(flags.runs);
  const o: BenchOptions = { runs, generatorRuns: Math.max(5, runs * 2 + 1), smoke: false, root: tempDir('dockergo-bench-') };
  try {
    if (flags.only === 'ci-cache' || flags.only === 'fleet' || flags.only === 'kubernetes') {
      const [section, title, next] = await onlySection(flags.only, o);
      writeFileSync(flags.out, spliceSection(readFileSync(flags.out, 'utf8'), section, title, next));
      console.log(section);
      return;
    }
    if (flags.only) throw new Error(`--only: "${flags.only}" is not a section (ci-cache, fleet, kubernetes)`);
    const service = await generatedService(o, 'generated-alpine', 'alpine', { deps: true });
    const dirs = contexts(o, service, await generatedService(o, 'generated-scratch', 'scratch', { deps: true }));
    // Both engines build the same contexts; each gets edits new to it (the nonce).
    const measured = [await onEngine(o, await buildkitBuilder(), dirs), await onEngine(o, await buildahBuilder(), dirs)];
    const generator = await generatorTimes(o, (await packedPackage()).prefix);
    const e = await engines();
    const kubernetes = await onCluster(o, e, await cluster(() => Promise.resolve(e)));
    const cache = await ciCache(o, e);
    const fleet = await fleetBench(o, (await packedPackage()).bin);
    const report = markdown({ engines: measured, generator, kubernetes, cache, fleet, modules: moduleCount(service), runs });
    mkdirSync(path.dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, report.full);
    if (!flags['no-readme']) {
      const readmePath = path.join(PACKAGE_ROOT, 'README.md');
      const readme = readFileSync(readmePath, 'utf8');
      const start = readme.indexOf(BENCH_START);
      const end = readme.indexOf(BENCH_END);
      if (start < 0 || end < start) throw new Error('README.md has no benchmark markers');
      writeFileSync(readmePath, `${readme.slice(0, start + BENCH_START.length)}\n${report.summary}\n${readme.slice(end)}`);
    }
    console.log(report.full);
  } finally {
    cleanup(o.root);
    await stopCluster();
    await stopContainers();
    await stopEngines();
    await removePackedPackage();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
