// The benchmark's smoke round, the last suite of `npm test`: every measurement of `npm run bench` (test/bench/measure.ts) once,
// on its smallest input (the generated service with no third-party modules), on the engines and
// the cluster this run already started, and the report rendered from it. It asserts what the
// benchmark must produce, never how fast: the machine is noisy, and the full round
// (`npm run bench`, docs/benchmarks.md) is for whoever changes what it measures.
import assert from 'node:assert/strict';
import { buildahBuilder, buildkitBuilder } from '../support/engines/builder.js';
import { engines } from '../support/engines/engines.js';
import { cluster } from '../support/engines/kubernetes.js';
import { packedPackage } from '../support/packed.js';
import { cleanup, tempDir } from '../support/project.js';
import { ciCache, contexts, generatedService, generatorTimes, moduleCount, MEASURES, onCluster, onEngine, WAYS, type BenchOptions } from './measure.js';
import { markdown } from './report.js';

const positive = (what: string, n: number): void => assert.ok(Number.isFinite(n) && n > 0, `${what}: ${n}`);
const lines: string[] = [];
const log = (line: string) => lines.push(line);

describe('the benchmark, one smoke round (npm run bench measures; this checks that it can)', function () {
  this.timeout(900_000);
  const o: BenchOptions = { runs: 1, generatorRuns: 1, smoke: true, root: tempDir('dockergo-bench-') };
  after(() => cleanup(o.root));

  it('measures every section once and renders the report with a number in every cell', async () => {
    const service = await generatedService(o, 'generated-alpine', 'alpine');
    const dirs = contexts(o, service, await generatedService(o, 'generated-scratch', 'scratch'));
    const measured = [await onEngine(o, await buildkitBuilder(), dirs, log), await onEngine(o, await buildahBuilder(), dirs, log)];
    for (const r of measured) {
      for (const way of WAYS) for (const m of MEASURES) positive(`${r.images.name} ${way} ${m}`, r.times[way][m][0]!);
      for (const [image, bytes] of Object.entries(r.size)) positive(`${r.images.name} size of ${image}`, bytes);
      positive(`${r.images.name} binary`, r.binary);
    }
    const generator = await generatorTimes(o, (await packedPackage()).prefix);
    positive('generator-dockergo --yes', generator.bin);
    positive('yo dockergo --yes', generator.yo);
    const e = await engines();
    const k = await cluster(async () => e);
    const kubernetes = await onCluster(o, e, k, log);
    positive('deploy', kubernetes.deploySeconds[0]!);
    assert.ok(kubernetes.drained[0]!.sent > 0 && kubernetes.control[0]!.sent > 0, lines.join('\n'));
    const cache = await ciCache(o, e, log);
    for (const key of ['cold', 'layersOnly', 'restored', 'warm', 'exported', 'layersBytes', 'mountsBytes'] as const) positive(`ci cache ${key}`, cache[key]);
    const report = markdown({ engines: measured, generator, kubernetes, cache, modules: moduleCount(service), runs: 1 });
    assert.doesNotMatch(report.full, /NaN|undefined|Infinity/, report.full);
    assert.doesNotMatch(report.summary, /NaN|undefined|Infinity/, report.summary);
    console.log(`      ${lines.filter((l) => !l.startsWith('builder:') && !l.includes('STAND-IN')).join('\n      ')}`);
  });
});
