// What the Kustomize and the Helm cluster suites check alike: the variants each renders, the
// kube-score run, and a config change that must roll the pods.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Engines } from './engines/engines.js';
import type { Cluster } from './engines/kubernetes.js';
import { clusterTools } from './engines/tools.js';
import { generate, PACKAGE_ROOT, read } from './project.js';
import { deploy, deployEnv, describeLoad, loadDuringRestart, podsOf, pullSecret, removeDrain } from './rollout.js';
import type { LoadResult } from './load.js';
import { checkoutModule } from './modules.js';
import { basesOf, dockerGenerate, logOnce } from './variants.js';

export interface ManifestVariant {
  label: string;
  options: Record<string, unknown>;
  /** dockergo:docker on a corpus module, instead of a new project. */
  corpus?: { module: string; version: string; main: string; kind: 'service' | 'cli' };
}

/** Each kind on each base, with and without config files, the example preset, and two real modules through dockergo:docker. */
export const VARIANTS: ManifestVariant[] = [
  { label: 'service, alpine', options: {} },
  { label: 'service, scratch, cmd layout, config files', options: { base: 'scratch', layout: 'cmd', config: ['config/app.yaml', 'extra.json'] } },
  { label: 'service, distroless, port 9090', options: { base: 'distroless', port: '9090' } },
  { label: 'cli, alpine', options: { kind: 'cli' } },
  { label: 'cli, scratch, config files', options: { kind: 'cli', base: 'scratch', config: ['config/app.yaml'] } },
  { label: 'cli, distroless, cmd layout', options: { kind: 'cli', base: 'distroless', layout: 'cmd' } },
  { label: 'the example preset', options: { preset: path.join(PACKAGE_ROOT, 'examples/acme-preset') } },
  {
    label: 'dockergo:docker on prometheus/client_golang ./examples/simple',
    options: {},
    corpus: { module: 'github.com/prometheus/client_golang', version: 'v1.25.0', main: './examples/simple', kind: 'service' },
  },
  { label: 'dockergo:docker on filippo.io/mkcert', options: {}, corpus: { module: 'filippo.io/mkcert', version: 'v1.4.4', main: '.', kind: 'cli' } },
];

const KUBE_SCORE_FLAGS = [
  'score',
  // Our own manifests may not silence a check with a kube-score/ignore annotation.
  '--disable-ignore-checks-annotations',
  // A CPU request only: a CPU limit throttles.
  '--ignore-container-cpu-limit',
  // deploy pins images by digest, so IfNotPresent is exact.
  '--ignore-test', 'container-image-pull-policy',
  '--output-format', 'ci',
];

/** A variant's project, generated (or a corpus module checked out and given dockergo:docker's files) with --deploy target; the folder to remove after. */
export async function variantProject(variant: ManifestVariant, target: 'kubernetes' | 'helm'): Promise<{ dir: string; remove: string }> {
  if (variant.corpus) {
    const c = variant.corpus;
    const dir = await checkoutModule(c.module, c.version, c.module.split('/').at(-1)!);
    await dockerGenerate(dir, { deploy: target, main: c.main, kind: c.kind, force: true });
    return { dir, remove: path.dirname(dir) };
  }
  const { dir } = await generate({ module: 'example.com/shop/orders', deploy: target, ...variant.options });
  return { dir, remove: dir };
}

/** kube-score on a rendered file, with the flags above; never rejects. */
export const kubeScore = (file: string) => execa(clusterTools().kubeScore, [...KUBE_SCORE_FLAGS, file], { reject: false, all: true });

/** The Deployment's running pods, not being deleted. */
export const runningPods = async (k: Cluster, ns: string, name: string) =>
  (await podsOf(k, ns, name)).filter((p) => !p.metadata.deletionTimestamp && p.status.phase === 'Running');

/**
 * The service both deploy suites ship: orders on scratch with a config file (its go.sum tidied, its
 * bases served by the registry), and build.sh's environment to deploy it into ns from the registry
 * behind htpasswd. The caller removes dir.
 */
export async function deployable(e: Engines, k: Cluster, target: 'kubernetes' | 'helm', ns: string, extra: Record<string, string> = {}): Promise<{ dir: string; env: Record<string, string> }> {
  await e.useEngine('today');
  const { dir } = await generate({ module: 'example.com/shop/orders', base: 'scratch', deploy: target, config: ['config/app.yaml'] });
  writeFileSync(path.join(dir, 'config/app.yaml'), 'greeting: first\n');
  await execa('go', ['mod', 'tidy'], { cwd: dir });
  const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
  for (const line of await e.prepareBases(refs)) logOnce(line);
  await pullSecret(e, k, ns);
  return { dir, env: deployEnv(e, k, ns, 'shop', { ...pinned, VERSION: 'v1.0.0', ...extra }) };
}

/** Edits config/app.yaml and deploys again: every pod must be replaced by one that holds the new content. */
export async function configChangeRolls(k: Cluster, ns: string, name: string, dir: string, env: Record<string, string>): Promise<void> {
  const before = new Set((await runningPods(k, ns, name)).map((p) => p.metadata.name));
  writeFileSync(path.join(dir, 'config/app.yaml'), 'greeting: second, longer\n');
  await deploy(dir, env);
  const deadline = Date.now() + 60_000;
  let live = await runningPods(k, ns, name);
  while (live.some((p) => before.has(p.metadata.name)) || live.length !== 2) {
    assert.ok(Date.now() < deadline, 'the old pods are still running');
    await new Promise((r) => setTimeout(r, 1000));
    live = await runningPods(k, ns, name);
  }
  for (const pod of live) {
    const pid = await k.pidOf(pod.status.containerStatuses![0]!.containerID);
    assert.equal(readFileSync(`/proc/${pid}/root/etc/orders/config/app.yaml`, 'utf8'), 'greeting: second, longer\n');
  }
}

/**
 * After the first deploy: the Deployment's image is `<host>/shop/orders@sha256:…`, and each of its 2
 * pods runs as 65532:65532 on a read-only root with the config file's first content (read from
 * /proc on the node). Returns the pods.
 */
export async function assertPinnedAndHardened(k: Cluster, ns: string, name: string, host: string) {
  const image = String((await k.run(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout);
  assert.match(image, new RegExp(`^${host.replace(/\./g, '\\.')}/shop/orders@sha256:[0-9a-f]{64}$`));
  const live = await runningPods(k, ns, name);
  assert.equal(live.length, 2);
  for (const pod of live) {
    const pid = await k.pidOf(pod.status.containerStatuses![0]!.containerID);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    assert.match(status, /^Uid:\s+65532\s+65532\s+65532\s+65532$/m, pod.metadata.name);
    assert.match(status, /^Gid:\s+65532\s+65532\s+65532\s+65532$/m, pod.metadata.name);
    const root = readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n').find((l) => l.split(' ')[4] === '/');
    assert.match(root!.split(' ')[5]!, /^ro\b/, `${pod.metadata.name}: ${root}`);
    assert.equal(readFileSync(`/proc/${pid}/root/etc/orders/config/app.yaml`, 'utf8'), 'greeting: first\n');
  }
  return live;
}

/**
 * The drain's proof: `drained` (a rollout under steady load, as generated) loses no request; then
 * the control, the same Deployment without its preStop drain, loses some. A rollout without the
 * drain loses requests only in a window of about a second per pod: one retry of the whole control.
 */
export async function assertDrainAndControl(k: Cluster, ns: string, name: string, drained: LoadResult, what: string): Promise<void> {
  logOnce(`${what} with the preStop drain: ${describeLoad(drained)}`);
  assert.equal(drained.failed, 0, `${describeLoad(drained)}: ${drained.errors.join('; ')}`);
  assert.ok(drained.sent > 500, describeLoad(drained));
  await removeDrain(k, ns, name);
  let control = await loadDuringRestart(k, ns, name);
  if (control.failed === 0) control = await loadDuringRestart(k, ns, name);
  logOnce(`rolling update without the drain (the control): ${describeLoad(control)}`);
  assert.ok(control.failed > 0, `the control lost nothing: ${describeLoad(control)}`);
}
