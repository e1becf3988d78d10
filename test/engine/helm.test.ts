// --deploy helm on the real cluster (the one kubernetes.test.ts starts, shared per run), with the
// Helm v4 built from the Go module proxy: every variant's chart through helm lint --strict, the
// apiserver's server-side dry run into a restricted namespace (strict validation, no warning) and
// kube-score; the Ingress and the Gateway API HTTPRoute switched on, with the Gateway API CRDs from
// the sigs.k8s.io/gateway-api module; then what users type: ./build.sh deploy dev (helm upgrade
// --install --wait), helm test, a helm upgrade under steady load that loses no request
// (and the control without the drain, which does), a config change that rolls the pods, and
// a release whose pods never become ready diagnosed, then rolled back, while the old pods stay ready
// endpoints of the Service.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import * as yaml from 'js-yaml';
import { engines, type Engines } from '../support/engines/engines.js';
import { assertDrainAndControl, assertPinnedAndHardened, configChangeRolls, deployable, kubeScore, runningPods, variantProject, VARIANTS } from '../support/cluster-checks.js';
import { cluster, type Cluster } from '../support/engines/kubernetes.js';
import { clusterTools } from '../support/engines/tools.js';
import { cleanup, generate, ok, read } from '../support/project.js';
import { deploy, loadDuring } from '../support/rollout.js';
import { logOnce } from '../support/variants.js';

const GATEWAY_API = 'sigs.k8s.io/gateway-api@v1.6.3';

describe('Helm: the chart on a real cluster', function () {
  this.timeout(1_800_000);
  let e: Engines;
  let k: Cluster;
  const dirs: string[] = [];
  let nsCount = 0;
  const namespace = async (prefix: string) => k.restrictedNamespace(`${prefix}-${process.pid}-${++nsCount}`);
  const helm = (args: string[]) => execa(clusterTools().helm, args, { env: k.env(), all: true, reject: false });

  before(async () => {
    e = await engines();
    k = await cluster(() => Promise.resolve(e));
    logOnce(`helm: ${String((await execa(clusterTools().helm, ['version', '--short'])).stdout)}, built from the Go module proxy`);
  });
  after(() => dirs.forEach(cleanup));

  const manifests = async (dir: string, values: string, env: Record<string, string> = {}) => {
    const result = await execa('./build.sh', ['manifests', values], { cwd: dir, env: k.env({ HELM: clusterTools().helm, VERSION: 'v1.0.0', ...env }), all: true, reject: false });
    assert.equal(result.exitCode, 0, String(result.all));
    return String(result.stdout);
  };

  /** The server-side dry run into a restricted namespace and kube-score, on a rendered file. */
  const admitted = async (file: string, what: string) => {
    const applied = await k.run(['apply', '--dry-run=server', '--validate=strict', '--warnings-as-errors', '-f', file]);
    assert.equal(applied.exitCode, 0, `${what}: ${String(applied.all)}`);
    assert.doesNotMatch(String(applied.all), /[Ww]arning/, `${what}: ${String(applied.all)}`);
    const score = await kubeScore(file);
    assert.deepEqual(String(score.stdout).split('\n').filter((l) => l.startsWith('[CRITICAL]')), [], `${what}: kube-score:\n${score.all}`);
    assert.equal(score.exitCode, 0, `${what}: kube-score exit ${score.exitCode}:\n${score.all}`);
  };

  describe('every variant: helm lint --strict, server-side dry run into a restricted namespace, and kube-score', () => {
    for (const variant of VARIANTS) {
      it(variant.label, async () => {
        const { dir, remove } = await variantProject(variant, 'helm');
        dirs.push(remove);
        const chart = path.join(dir, 'deploy/helm', readdirSync(path.join(dir, 'deploy/helm'))[0]!);
        const preset = variant.options['preset'] !== undefined;
        const ns = preset ? await k.restrictedNamespace('acme-apps').catch(() => 'acme-apps') : '';
        for (const values of ['dev', 'prod']) {
          const env: Record<string, string> = preset ? {} : { NAMESPACE: await namespace(`helm-${values}`) };
          const rendered = await manifests(dir, values, env);
          const lint = await helm(['lint', '--strict', chart, '--values', path.join(chart, `values-${values}.yaml`), ...configSets(chart)]);
          assert.equal(lint.exitCode, 0, `${values}: ${String(lint.all)}`);
          const file = path.join(dir, `${values}.rendered.yaml`);
          writeFileSync(file, rendered);
          await admitted(file, `${values}${ns ? ` (${ns})` : ''}`);
        }
      });
    }

    it('the Ingress and the Gateway API HTTPRoute, switched on (the CRDs installed from sigs.k8s.io/gateway-api)', async () => {
      const { stdout } = await execa('go', ['mod', 'download', '-json', GATEWAY_API], { cwd: '/' });
      const crds = path.join((JSON.parse(stdout) as { Dir: string }).Dir, 'config/crd/standard');
      const installed = await k.run(['apply', '--server-side', '-f', crds]);
      assert.equal(installed.exitCode, 0, String(installed.all));
      await k.run(['wait', '--for=condition=Established', 'crd/httproutes.gateway.networking.k8s.io', '--timeout=60s']);
      const { dir } = await generate({ module: 'example.com/shop/orders', deploy: 'helm' });
      dirs.push(dir);
      const ns = await namespace('routes');
      const chart = path.join(dir, 'deploy/helm/orders');
      const rendered = await helm(['template', 'orders', chart, '--namespace', ns, '--set', 'ingress.enabled=true,httpRoute.enabled=true', '--set-string', 'ingress.tlsSecretName=orders-tls']);
      assert.equal(rendered.exitCode, 0, String(rendered.all));
      assert.match(String(rendered.stdout), /^kind: Ingress$/m);
      assert.match(String(rendered.stdout), /^kind: HTTPRoute$/m);
      const file = path.join(dir, 'routes.yaml');
      writeFileSync(file, String(rendered.stdout));
      const applied = await k.run(['apply', '--dry-run=server', '--validate=strict', '--warnings-as-errors', '-n', ns, '-f', file]);
      assert.equal(applied.exitCode, 0, String(applied.all));
    });
  });

  describe('./build.sh deploy dev: helm upgrade --install --wait, from the registry behind htpasswd', () => {
    let dir = '';
    let ns = '';
    let env: Record<string, string> = {};
    const name = 'orders';

    before(async () => {
      ns = await namespace('helm-deploy');
      ({ dir, env } = await deployable(e, k, 'helm', ns, { HELM: clusterTools().helm }));
      dirs.push(dir);
    });

    it('installs pinned by digest; the pods run as 65532 on a read-only root; the config file reaches the program; helm test passes', async () => {
      const { output, seconds } = await deploy(dir, env);
      logOnce(`./build.sh deploy dev with Helm: build, push, helm upgrade --install --wait in ${seconds.toFixed(1)} s`);
      assert.match(output, /deployed .*@sha256:[0-9a-f]{64} as release orders \(dev\)/);
      await assertPinnedAndHardened(k, ns, name, e.secure.host);
      const tested = await helm(['test', 'orders', '--namespace', ns, '--timeout', '2m', '--logs']);
      assert.equal(tested.exitCode, 0, String(tested.all));
      assert.match(String(tested.all), /orders-test-healthz[\s\S]*Succeeded/);
    });

    it('editing the config file and deploying again rolls the pods, and the new content reaches them', () => configChangeRolls(k, ns, name, dir, env));

    it('a helm upgrade under steady load loses 0 requests; the control without the drain loses some', async () => {
      const upgrade = () => deploy(dir, { ...env, VERSION: `v1.1.${Date.now()}` }).then(() => undefined);
      await assertDrainAndControl(k, ns, name, await loadDuring(k, ns, name, upgrade), 'helm upgrade');
    });

    it('a release whose pods never become ready is diagnosed, then rolled back, and the old pods serve throughout', async () => {
      // Put the drain back (the control took it out) with a release of the chart as it is.
      await deploy(dir, { ...env, VERSION: 'v1.2.0' });
      const revision = async () => Number(JSON.parse(String((await helm(['status', 'orders', '-n', ns, '-o', 'json'])).stdout)).version);
      const good = await revision();
      writeFileSync(path.join(dir, 'main.go'), read(dir, 'main.go').replace('func main() {', 'func main() {\n\tos.Exit(3)'));
      const brokenEnv = { ...env, VERSION: 'v1.3.0-broken', ROLLOUT_TIMEOUT: '45s' };
      // Built first, so that deploy's build is a cache hit while the old pods are watched.
      await ok(execa('./build.sh', ['build'], { cwd: dir, env: brokenEnv, all: true, reject: false }), 'the broken image');
      const broken = async () => {
        const result = await execa('./build.sh', ['deploy', 'dev'], { cwd: dir, env: brokenEnv, all: true, reject: false });
        assert.notEqual(result.exitCode, 0, 'a release that never became ready was reported as deployed');
        // The diagnosis came while the failed pods still existed (--atomic's own rollback would have removed them), then the rollback.
        assert.match(String(result.all), /Exit Code:\s+3/);
        assert.match(String(result.stderr).trim().split('\n').at(-1)!, /^build\.sh: release orders \(dev\) failed and was rolled back to the one before/);
      };
      // The old pods serve throughout: while the release fails and is rolled back, both stay running,
      // unrestarted, and ready endpoints of the Service, sampled every half second.
      const readyEndpoints = async () => String((await k.run(['get', 'endpointslices', '-n', ns, '-l', `kubernetes.io/service-name=${name}`, '-o', 'jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]} {end}'])).stdout).split(' ').filter(Boolean);
      const old = new Map((await runningPods(k, ns, name)).map((p) => [p.metadata.name, p.status.podIP ?? ''] as const));
      assert.equal(old.size, 2, [...old.keys()].join(', '));
      let releasing = true;
      const samples: string[][] = [];
      const watching = (async () => {
        while (releasing) {
          samples.push(await readyEndpoints());
          await new Promise((r) => setTimeout(r, 500));
        }
      })();
      try {
        await broken();
      } finally {
        releasing = false;
        await watching;
      }
      logOnce(`a release that never became ready, diagnosed and rolled back: the old pods were ready endpoints in ${samples.length} of ${samples.length} samples`);
      assert.ok(samples.length > 20, `${samples.length} samples`);
      for (const [i, sample] of samples.entries()) {
        for (const [pod, ip] of old) assert.ok(sample.includes(ip), `sample ${i}: ${pod} (${ip}) was not a ready endpoint: ${sample.join(', ')}`);
      }
      for (const pod of await runningPods(k, ns, name)) {
        assert.ok(old.has(pod.metadata.name), `${pod.metadata.name} is not one of the old pods`);
        assert.equal(pod.status.containerStatuses![0]!.restartCount, 0, pod.metadata.name);
      }
      const history = JSON.parse(String((await helm(['history', 'orders', '-n', ns, '-o', 'json'])).stdout)) as { revision: number; status: string; description: string }[];
      assert.equal(history.at(-1)!.status, 'deployed');
      assert.match(history.at(-1)!.description, new RegExp(`Rollback to ${good}`));
      const image = String((await k.run(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout);
      assert.ok(!image.includes('broken'), image);
    });
  });

  it('values.schema.json: helm install refuses a bad value with its own message, and nothing is installed', async () => {
    const { dir } = await generate({ module: 'example.com/shop/orders', deploy: 'helm' });
    dirs.push(dir);
    const ns = await namespace('schema');
    const refused = await helm(['install', 'bad', path.join(dir, 'deploy/helm/orders'), '-n', ns, '--set-string', 'replicaCount=two']);
    assert.notEqual(refused.exitCode, 0);
    assert.match(String(refused.all), /replicaCount/);
    assert.equal(String((await helm(['list', '-n', ns, '-q'])).stdout).trim(), '');
  });
});

/** --set-string for every config file the chart's values.yaml lists (build.sh passes each with --set-file), so that lint renders it. */
function configSets(chart: string): string[] {
  const values = yaml.load(readFileSync(path.join(chart, 'values.yaml'), 'utf8')) as { configFiles?: Record<string, string> };
  return Object.keys(values.configFiles ?? {}).flatMap((key) => ['--set-string', `configFiles.${key.replaceAll('.', '\\.')}=x`]);
}
