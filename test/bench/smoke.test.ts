// The benchmark's smoke round, the last suite of `npm test`: every measurement of `npm run bench`
// (test/bench/measure.ts) once, on its smallest input (the generated project with a program that
// does nothing; the deployed one, whose probes need it, serves), on the engines and the cluster
// this run already started, and the report rendered from it. It asserts what the benchmark must
// produce, never how fast: the machine is noisy, and the full round (`npm run bench`,
// docs/benchmarks.md) is for whoever changes what it measures. So that the round fits its three
// minutes, its sections run side by side (the full round runs them one after another, each alone).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildahBuilder, buildkitBuilder, type Builder } from '../support/engines/builder.js';
import { engines } from '../support/engines/engines.js';
import { cluster } from '../support/engines/kubernetes.js';
import { packedPackage } from '../support/packed.js';
import { cleanup, tempDir } from '../support/project.js';
import { ciCache, contexts, generatedService, generatorTimes, moduleCount, MEASURES, onCluster, onEngine, WAYS, type BenchOptions } from './measure.js';
import { fleetBench } from './fleet.js';
import { markdown } from './report.js';

const positive = (what: string, n: number): void => assert.ok(Number.isFinite(n) && n > 0, `${what}: ${n}`);

describe('the benchmark, one smoke round (npm run bench measures; this checks that it can)', function () {
  this.timeout(900_000);
  const o: BenchOptions = { runs: 1, generatorRuns: 1, smoke: true, root: tempDir('dockergo-bench-') };
  after(() => cleanup(o.root));

  it('measures every section once and renders the report with a number in every cell', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const took: string[] = [];
    /** A section, timed for the log. */
    const timed = async <T>(section: string, work: () => Promise<T>): Promise<T> => {
      const start = Date.now();
      const result = await work();
      took.push(`${section} ${((Date.now() - start) / 1000).toFixed(0)} s`);
      return result;
    };
    /** The build race on one engine, in build contexts of its own (the edits are new to it). */
    const race = async (name: string, images: Builder) => {
      const own = { ...o, root: path.join(o.root, name) };
      mkdirSync(own.root);
      const service = await generatedService(own, 'generated-alpine', 'alpine', { smallest: true });
      const dirs = contexts(own, service, await generatedService(own, 'generated-scratch', 'scratch', { smallest: true }));
      return { result: await timed(`builds on ${name}`, () => onEngine(own, images, dirs, log)), modules: moduleCount(service) };
    };
    const e = await engines();
    const k = await cluster(() => Promise.resolve(e));
    const { bin } = await packedPackage();
    const [buildkit, buildah, generator, kubernetes, cache, fleet] = await Promise.all([
      race('buildkit', await buildkitBuilder()),
      race('buildah', await buildahBuilder()),
      timed('generator', async () => generatorTimes(o, (await packedPackage()).prefix)),
      timed('cluster', () => onCluster(o, e, k, log)),
      timed('ci cache', () => ciCache(o, e, log)),
      timed('fleet', () => fleetBench(o, bin, log)),
    ]);
    const measured = [buildkit.result, buildah.result];
    for (const r of measured) {
      for (const way of WAYS) for (const m of MEASURES) positive(`${r.images.name} ${way} ${m}`, r.times[way][m][0]!);
      for (const [image, bytes] of Object.entries(r.size)) positive(`${r.images.name} size of ${image}`, bytes);
      positive(`${r.images.name} binary`, r.binary);
    }
    positive('generator-dockergo --yes', generator.bin);
    positive('yo dockergo --yes', generator.yo);
    positive('deploy', kubernetes.deploySeconds[0]!);
    assert.ok(kubernetes.drained[0]!.sent > 0 && kubernetes.control[0]!.sent > 0, lines.join('\n'));
    positive('helm deploy', kubernetes.helm.deploySeconds[0]!);
    assert.ok(kubernetes.helm.drained[0]!.sent > 0 && kubernetes.helm.control[0]!.sent > 0, lines.join('\n'));
    for (const key of ['cold', 'layersOnly', 'restored', 'warm', 'exported', 'layersBytes', 'mountsBytes'] as const) positive(`ci cache ${key}`, cache[key]);
    for (const [i, n] of fleet.sizes.entries()) {
      positive(`fleet --check of ${n}, a repository`, fleet.perRepo[i]!);
      positive(`fleet --check of ${n}, peak memory`, fleet.peakKiB[i]!);
    }
    for (const key of ['startMs', 'fleetMs', 'loopMs', 'updatePerRepo'] as const) positive(`fleet ${key}`, fleet[key]);
    const report = markdown({ engines: measured, generator, kubernetes, cache, fleet, modules: buildkit.modules, runs: 1 });
    assert.doesNotMatch(report.full, /NaN|undefined|Infinity/, report.full);
    assert.doesNotMatch(report.summary, /NaN|undefined|Infinity/, report.summary);
    console.log(`      ${lines.filter((l) => !l.startsWith('builder:') && !l.includes('STAND-IN')).join('\n      ')}`);
    console.log(`      side by side: ${took.join(', ')}`);
  });
});
