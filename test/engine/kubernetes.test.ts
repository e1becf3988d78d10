// --deploy kubernetes on a real single-node cluster (test/support/engines/kubernetes.ts), started
// once per run: every overlay of every variant against the apiserver's own admission (Pod
// Security "restricted", strict field validation, no warning) and kube-score; then what users
// type: ./build.sh deploy dev, pulling from the registry behind htpasswd through an image pull
// secret; a rolling update under steady load that loses no request, and its control without the
// drain, which does; an eviction the PodDisruptionBudget refuses; a cli's Job.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import * as yaml from 'js-yaml';
import { engines, type Engines } from '../support/engines/engines.js';
import { assertDrainAndControl, assertPinnedAndHardened, configChangeRolls, deployable, kubeScore, runningPods, variantProject, VARIANTS } from '../support/cluster-checks.js';
import { cluster, type Cluster } from '../support/engines/kubernetes.js';
import { clusterTools, versionOf } from '../support/engines/tools.js';
import { cleanup, generate, read } from '../support/project.js';
import { waitForHttp } from '../support/service.js';
import { deploy, deployEnv, loadDuringRestart, pullSecret } from '../support/rollout.js';
import { basesOf, logOnce } from '../support/variants.js';

describe('Kubernetes: the manifests on a real cluster', function () {
  this.timeout(1_800_000);
  let e: Engines;
  let k: Cluster;
  const dirs: string[] = [];
  let nsCount = 0;
  const namespace = async (prefix: string) => k.restrictedNamespace(`${prefix}-${process.pid}-${++nsCount}`);
  let acme: Promise<string> | undefined;
  const presetNamespace = () => (acme ??= k.restrictedNamespace('acme-apps'));


  before(async () => {
    e = await engines();
    k = await cluster(() => Promise.resolve(e));
    logOnce(`cluster: Kubernetes ${k.version} and etcd ${k.etcdVersion}, built from the Go module proxy, on Debian's containerd ${k.containerdVersion}: Ready in ${k.startSeconds.toFixed(1)} s`);
  });
  after(() => dirs.forEach(cleanup));

  const manifests = async (dir: string, overlay: string, env: Record<string, string> = {}) => {
    const result = await execa('./build.sh', ['manifests', overlay], { cwd: dir, env: k.env({ VERSION: 'v1.0.0', ...env }), all: true, reject: false });
    assert.equal(result.exitCode, 0, String(result.all));
    return String(result.stdout);
  };

  describe('every overlay of every variant: server-side dry run into a restricted namespace, and kube-score', () => {
    for (const variant of VARIANTS) {
      it(variant.label, async () => {
        const { dir, remove } = await variantProject(variant, 'kubernetes');
        dirs.push(remove);
        // The preset's namespace is its own (its manifests name it); the others get one from NAMESPACE.
        const preset = variant.options['preset'] !== undefined;
        if (preset) await presetNamespace();
        for (const overlay of ['dev', 'prod']) {
          const env: Record<string, string> = preset ? {} : { NAMESPACE: await namespace(`dry-${overlay}`) };
          const rendered = await manifests(dir, overlay, env);
          const file = path.join(dir, `${overlay}.rendered.yaml`);
          writeFileSync(file, rendered);
          const applied = await k.run(['apply', '--dry-run=server', '--validate=strict', '--warnings-as-errors', '-f', file]);
          assert.equal(applied.exitCode, 0, `${overlay}: ${String(applied.all)}`);
          assert.doesNotMatch(String(applied.all), /[Ww]arning/, `${overlay}: ${String(applied.all)}`);
          const score = await kubeScore(file);
          const critical = String(score.stdout).split('\n').filter((l) => l.startsWith('[CRITICAL]'));
          assert.deepEqual(critical, [], `${overlay}: kube-score:\n${score.all}`);
          assert.equal(score.exitCode, 0, `${overlay}: kube-score exit ${score.exitCode}:\n${score.all}`);
        }
      });
    }

    it('the control: the same namespace refuses a Deployment without seccompProfile, and kube-score flags a missing NetworkPolicy', async () => {
      const { dir } = await generate({ module: 'example.com/shop/control', deploy: 'kubernetes' });
      dirs.push(dir);
      const ns = await namespace('control');
      const rendered = (await manifests(dir, 'dev', { NAMESPACE: ns })).replace(/^ +seccompProfile:\n +type: RuntimeDefault\n/gm, '');
      const file = path.join(dir, 'control.yaml');
      writeFileSync(file, rendered);
      const applied = await k.run(['apply', '--dry-run=server', '--validate=strict', '--warnings-as-errors', '-f', file]);
      assert.notEqual(applied.exitCode, 0);
      assert.match(String(applied.all), /violate PodSecurity "restricted:latest": seccompProfile/);
      const docs = (yaml.loadAll(rendered) as { kind: string }[]).filter((d) => d.kind !== 'NetworkPolicy');
      writeFileSync(file, docs.map((d) => yaml.dump(d)).join('---\n'));
      const score = await kubeScore(file);
      assert.notEqual(score.exitCode, 0);
      assert.match(String(score.stdout), /\[CRITICAL\].*NetworkPolicy/);
    });
  });

  describe('./build.sh deploy dev, from the registry behind htpasswd through an image pull secret', () => {
    let dir = '';
    let ns = '';
    let env: Record<string, string> = {};
    const name = 'orders';
    const running = () => runningPods(k, ns, name);

    before(async () => {
      ns = await namespace('deploy');
      ({ dir, env } = await deployable(e, k, 'kubernetes', ns));
      dirs.push(dir);
    });

    it('rolls out pinned by digest; the pods run as 65532 on a read-only root; /healthz answers through the ClusterIP; the config file reaches the program', async () => {
      const { output, seconds } = await deploy(dir, env);
      logOnce(`./build.sh deploy dev: build, push, render, apply, rollout complete in ${seconds.toFixed(1)} s`);
      assert.match(output, /successfully rolled out/);
      for (const pod of await assertPinnedAndHardened(k, ns, name, e.secure.host)) {
        const logs = String((await k.run(['logs', '-n', ns, pod.metadata.name])).stdout);
        assert.match(logs, /"msg":"config loaded","file":"\/etc\/orders\/config\/app.yaml","bytes":16/);
      }
      const ip = String((await k.run(['get', 'service', name, '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).stdout);
      // kube-proxy writes a new Service's rules within about a second (its sync period) of the rollout's end.
      const health = await waitForHttp(`http://${ip}/healthz`, 15_000);
      assert.equal(health.status, 200);
      assert.equal(health.body, 'ok');
    });

    it('has 0 restarts once the probes have run for a while', async () => {
      await new Promise((r) => setTimeout(r, 25_000));
      for (const pod of await running()) {
        const status = pod.status.containerStatuses![0]!;
        assert.equal(status.restartCount, 0, pod.metadata.name);
        assert.equal(status.ready, true, pod.metadata.name);
      }
    });

    it('an eviction that would break the PodDisruptionBudget is refused by the Eviction API', async () => {
      const deadline = Date.now() + 60_000;
      while (String((await k.run(['get', 'pdb', name, '-n', ns, '-o', 'jsonpath={.status.disruptionsAllowed}'])).stdout) !== '1') {
        assert.ok(Date.now() < deadline, 'the PDB never allowed a disruption');
        await new Promise((r) => setTimeout(r, 500));
      }
      const [first, second] = (await running()).map((p) => p.metadata.name);
      const evict = (pod: string) => {
        const body = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns } });
        return k.run(['create', '--raw', `/api/v1/namespaces/${ns}/pods/${pod}/eviction`, '-f', '-'], { input: body });
      };
      const allowed = await evict(first!);
      const refused = await evict(second!);
      assert.equal(allowed.exitCode, 0, String(allowed.all));
      assert.notEqual(refused.exitCode, 0);
      assert.match(String(refused.all), /Cannot evict pod as it would violate the pod's disruption budget|TooManyRequests|429/);
      await k.run(['rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=120s']);
    });

    it('editing the config file and deploying again rolls the pods, and the new content reaches them', () => configChangeRolls(k, ns, name, dir, env));

    it('a rolling update under steady load (half on keep-alive connections) loses 0 requests; the control without the drain loses some', async () => {
      await assertDrainAndControl(k, ns, name, await loadDuringRestart(k, ns, name), 'rolling update');
    });

    it('with PLATFORMS, deploy pushes a multi-arch index through buildx and pins the index by its digest', async () => {
      const before = new Set((await running()).map((p) => p.metadata.name));
      await deploy(dir, { ...env, PLATFORMS: 'linux/amd64,linux/arm64', BUILDX_BUILDER: e.remoteBuilder, SBOM: 'false', VERSION: 'v1.1.0' });
      const image = String((await k.run(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout);
      const digest = image.split('@')[1]!;
      assert.match(digest, /^sha256:[0-9a-f]{64}$/);
      const response = await e.secure.api(`/v2/shop/orders/manifests/${digest}`, ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
      const index = (await response.json()) as { manifests: { platform?: { os: string; architecture: string } }[] };
      const platforms = index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).filter((x) => x !== 'unknown/unknown');
      assert.deepEqual(platforms.sort(), ['linux/amd64', 'linux/arm64']);
      const live = await running();
      assert.equal(live.length, 2);
      assert.ok(live.every((p) => !before.has(p.metadata.name)), 'the pods were replaced');
    });
  });

  describe('a cli: ./build.sh deploy dev runs its Job', () => {
    it('completes, and its output is in its logs (KUBECONFIG and CONTEXT honoured)', async () => {
      await e.useEngine('today');
      const { dir } = await generate({ module: 'example.com/tools/convert', kind: 'cli', deploy: 'kubernetes', args: '-version' });
      dirs.push(dir);
      await execa('go', ['mod', 'tidy'], { cwd: dir });
      const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
      for (const line of await e.prepareBases(refs)) logOnce(line);
      const ns = await namespace('job');
      await pullSecret(e, k, ns);
      // CONTEXT is honoured: the kubeconfig's current context names no cluster.
      const kubeconfig = path.join(dir, 'kubeconfig.yaml');
      writeFileSync(kubeconfig, readFileSync(k.kubeconfig, 'utf8').replace(/^current-context: .*$/m, 'current-context: nowhere'));
      const env = deployEnv(e, k, ns, 'tools', { ...pinned, VERSION: 'v2.0.0', KUBECONFIG: kubeconfig, CONTEXT: 'dockergo' });
      const result = await execa('./build.sh', ['deploy', 'dev'], { cwd: dir, env, all: true, reject: false });
      assert.equal(result.exitCode, 0, String(result.all));
      assert.match(String(result.stdout), /^convert v2\.0\.0$/m);
      const job = String((await k.run(['get', 'job', 'convert', '-n', ns, '-o', 'jsonpath={.status.succeeded}'])).stdout);
      assert.equal(job, '1');
    });
  });

  describe('a new cli with its default arguments: the first ./build.sh deploy dev succeeds (the new-user pass, items 20 and 2)', () => {
    let dir = '';
    let env: Record<string, string> = {};
    const logs = async (ns: string) => String((await k.run(['logs', 'job/conv', '-n', ns])).all);
    before(async () => {
      await e.useEngine('today');
      ({ dir } = await generate({ module: 'example.com/tools/conv', kind: 'cli', deploy: 'kubernetes' }));
      dirs.push(dir);
      await execa('go', ['mod', 'tidy'], { cwd: dir });
      const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
      for (const line of await e.prepareBases(refs)) logOnce(line);
      const ns = await namespace('first');
      await pullSecret(e, k, ns);
      env = deployEnv(e, k, ns, 'tools', { ...pinned, VERSION: 'v1.0.0' });
    });

    it('20. the Job converts the dev overlay\'s sample input, and completes', async () => {
      const result = await execa('./build.sh', ['deploy', 'dev'], { cwd: dir, env, all: true, reject: false });
      assert.equal(result.exitCode, 0, String(result.all));
      const lines = read(dir, 'deploy/kubernetes/overlays/dev/sample-input.txt').split('\n').filter(Boolean).length;
      assert.match(await logs(env['NAMESPACE']!), new RegExp(`"msg":"converted","src":"input.txt","dst":"output.txt","lines":${lines}`));
    });

    it('2. a $ in --args reaches the program as written, through the kubelet\'s $(VAR) expansion', async () => {
      // The same project, its default arguments replaced: the output file's name holds $$(Y) and $(HOME).
      await generate({ module: 'example.com/tools/conv', kind: 'cli', deploy: 'kubernetes', args: "input.txt 'out-$$(Y)-$(HOME).txt'", force: true }, dir);
      const result = await execa('./build.sh', ['deploy', 'dev'], { cwd: dir, env: { ...env, VERSION: 'v1.0.1' }, all: true, reject: false });
      assert.equal(result.exitCode, 0, String(result.all));
      // Unescaped, the kubelet would have made it out-$(Y)-$(HOME).txt.
      assert.match(await logs(env['NAMESPACE']!), /"dst":"out-\$\$\(Y\)-\$\(HOME\)\.txt"/);
    });
  });

  it('names the versions it ran', () => {
    assert.equal(k.version, versionOf(clusterTools().kubernetes));
  });
});
