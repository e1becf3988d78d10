// --deploy kubernetes without a cluster: which files are written and who owns them, what kustomize
// (kubectl kustomize, the kubectl built with the test cluster) renders them to, the preset's hooks,
// bad input, and `update` adding the manifests to a project and merging a base change.
// The cluster suite (kubernetes.test.ts) applies the same manifests to a real apiserver.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import * as yaml from 'js-yaml';
import { clusterTools } from './support/engines/tools.js';
import { assertPresetApplied, kubernetesPreset } from './support/preset-checks.js';
import { expectRefused, packedPackage } from './support/packed.js';
import { cleanup, generate, listFiles, PACKAGE_ROOT, read, runApp, tempDir } from './support/project.js';
import { GIT_ENV } from './support/users.js';
import { checkNamespace, checkQuantity, checkRepository, isKubernetesLabel, kubernetesName } from '../generators/lib/rules/index.js';

type Doc = { kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; [key: string]: any };

const kubectl = () => clusterTools().kubectl;

/** `./build.sh manifests OVERLAY` in a project, parsed. */
async function manifests(dir: string, overlay = 'dev', env: Record<string, string> = {}): Promise<Doc[]> {
  const result = await execa('./build.sh', ['manifests', overlay], { cwd: dir, env: { KUBECTL: kubectl(), VERSION: 'v1.2.3', ...env }, all: true, reject: false });
  assert.equal(result.exitCode, 0, String(result.all));
  return yaml.loadAll(String(result.stdout)) as Doc[];
}

const byKind = (docs: Doc[], kind: string): Doc => {
  const doc = docs.find((d) => d.kind === kind);
  assert.ok(doc, `no ${kind} in ${docs.map((d) => d.kind).join(', ')}`);
  return doc;
};

describe('--deploy kubernetes: the manifests', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  after(() => dirs.forEach(cleanup));
  const project = async (options: Record<string, unknown>) => {
    const { dir } = await generate({ module: 'example.com/shop/orders', deploy: 'kubernetes', ...options });
    dirs.push(dir);
    return dir;
  };

  it('writes no deploy/ folder by default', async () => {
    const { dir } = await generate({ module: 'example.com/shop/orders' });
    dirs.push(dir);
    assert.ok(!listFiles(dir).some((f) => f.startsWith('deploy/')));
    assert.doesNotMatch(read(dir, 'build.sh'), /cmd_deploy/);
  });

  it('a service: a base of Deployment, ServiceAccount, Service, PDB and NetworkPolicy; dev and prod overlays, an HPA in prod', async () => {
    const dir = await project({});
    assert.deepEqual(
      listFiles(dir).filter((f) => f.startsWith('deploy/')),
      [
        'deploy/kubernetes/base/deployment.yaml',
        'deploy/kubernetes/base/kustomization.yaml',
        'deploy/kubernetes/base/networkpolicy.yaml',
        'deploy/kubernetes/base/pdb.yaml',
        'deploy/kubernetes/base/service.yaml',
        'deploy/kubernetes/base/serviceaccount.yaml',
        'deploy/kubernetes/overlays/dev/kustomization.yaml',
        'deploy/kubernetes/overlays/prod/hpa.yaml',
        'deploy/kubernetes/overlays/prod/kustomization.yaml',
      ],
    );
    const yoRc = JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'];
    assert.equal(yoRc.deploy, 'kubernetes');
    // The base is recorded for update's merge; the overlays are the user's and are not.
    assert.ok(yoRc.files['deploy/kubernetes/base/deployment.yaml']);
    assert.equal(yoRc.files['deploy/kubernetes/overlays/dev/kustomization.yaml'], undefined);

    const dev = await manifests(dir);
    assert.deepEqual(dev.map((d) => d.kind).sort(), ['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    const deployment = byKind(dev, 'Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    assert.equal(deployment.spec.replicas, 2);
    assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
    assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
    assert.deepEqual(container.lifecycle.preStop, { sleep: { seconds: 5 } });
    assert.ok(pod.terminationGracePeriodSeconds >= 5 + 10, 'the grace period covers the drain and the 10 s shutdown');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) assert.equal(container[probe].httpGet.port, 'http');
    assert.deepEqual(container.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    assert.equal(container.resources.limits.cpu, undefined, 'no CPU limit');
    assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory);
    assert.deepEqual(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath), ['/tmp', '/data']);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.serviceAccountName, 'orders');
    assert.equal(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
    assert.deepEqual(pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey), ['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    // The image is the registry's repository at the tag push would push.
    assert.equal(container.image, 'orders:v1.2.3');
    // One selector label, set by kustomize on every selector and the pods.
    const podLabels = deployment.spec.template.metadata.labels;
    assert.deepEqual(deployment.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'orders' });
    assert.deepEqual(byKind(dev, 'Service').spec.selector, deployment.spec.selector.matchLabels);
    assert.deepEqual(byKind(dev, 'PodDisruptionBudget').spec.selector.matchLabels, deployment.spec.selector.matchLabels);
    assert.deepEqual(byKind(dev, 'NetworkPolicy').spec.podSelector.matchLabels, deployment.spec.selector.matchLabels);
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) assert.equal(podLabels[key], value);
    assert.deepEqual(byKind(dev, 'PodDisruptionBudget').spec, { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } } });
    const policy = byKind(dev, 'NetworkPolicy').spec;
    assert.deepEqual(policy.ingress, [{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
    assert.deepEqual(policy.egress, [{}]);
    assert.equal(byKind(dev, 'ServiceAccount').automountServiceAccountToken, false);

    const prod = await manifests(dir, 'prod');
    const hpa = byKind(prod, 'HorizontalPodAutoscaler');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' });
    assert.equal(byKind(prod, 'Deployment').spec.replicas, undefined, 'the autoscaler owns the replica count in prod');
  });

  it('config files become a generated ConfigMap, mounted read-only where -config points, whose name follows their content', async () => {
    const dir = await project({ config: ['config/app.yaml', 'extra.json'] });
    const before = await manifests(dir);
    const map = byKind(before, 'ConfigMap');
    assert.match(map.metadata.name, /^orders-config-[a-z0-9]{10}$/);
    assert.deepEqual(Object.keys(map['data']).sort(), ['config_app.yaml', 'extra.json']);
    assert.equal(map['data']['config_app.yaml'], read(dir, 'config/app.yaml'));
    const pod = byKind(before, 'Deployment').spec.template.spec;
    const container = pod.containers[0];
    assert.deepEqual(container.args, ['-config', '/etc/orders/config/app.yaml', '-config', '/etc/orders/extra.json']);
    assert.deepEqual(container.volumeMounts.at(-1), { name: 'config', mountPath: '/etc/orders', readOnly: true });
    const volume = pod.volumes.find((v: { name: string }) => v.name === 'config');
    assert.equal(volume.configMap.name, map.metadata.name);
    assert.deepEqual(volume.configMap.items, [{ key: 'config_app.yaml', path: 'config/app.yaml' }, { key: 'extra.json', path: 'extra.json' }]);
    writeFileSync(path.join(dir, 'config/app.yaml'), 'changed: true\n');
    const after = await manifests(dir);
    assert.notEqual(byKind(after, 'ConfigMap').metadata.name, map.metadata.name, 'a changed file renames the ConfigMap, which rolls the pods');
    // No committed file was edited to render: only the temporary copy.
    assert.equal(read(dir, 'deploy/kubernetes/base/kustomization.yaml').includes('newTag'), false);
  });

  it('a cli: a Job with the same security context, a TTL, a backoff limit and its default arguments', async () => {
    const dir = await project({ kind: 'cli' });
    assert.ok(!listFiles(dir).some((f) => /service\.yaml|pdb\.yaml|hpa\.yaml|deployment\.yaml/.test(f)));
    const docs = await manifests(dir);
    // The ConfigMap is the dev overlay's sample input (the new-user pass, item 20).
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['ConfigMap', 'Job', 'NetworkPolicy', 'ServiceAccount']);
    const job = byKind(docs, 'Job');
    assert.ok(job.spec.ttlSecondsAfterFinished > 0);
    assert.ok(job.spec.backoffLimit >= 0);
    const pod = job.spec.template.spec;
    assert.equal(pod.restartPolicy, 'Never');
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(pod.containers[0].args, ['input.txt', 'output.txt']);
    assert.deepEqual(pod.volumes.find((v: { name: string }) => v.name === 'data'), { name: 'data', emptyDir: {} });
    assert.deepEqual(byKind(docs, 'NetworkPolicy').spec.ingress, []);
  });

  it('is asked at the prompt, like every input', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await runApp(dir, { yes: false, skipInstall: true, goVersion: '1.26.8' }).withAnswers({ module: 'example.com/shop/asked', deploy: 'kubernetes' });
    assert.ok(listFiles(dir).includes('deploy/kubernetes/base/deployment.yaml'));
  });

  it("build.sh: NAMESPACE, PULL_SECRET and REGISTRY reach the rendered manifests; a bad overlay or namespace is one line", async () => {
    const dir = await project({});
    const docs = await manifests(dir, 'dev', { NAMESPACE: 'shop', PULL_SECRET: 'regcred', REGISTRY: '127.0.0.1:5000/team' });
    for (const doc of docs) assert.equal(doc.metadata['namespace' as 'name'], 'shop', doc.kind);
    assert.deepEqual(byKind(docs, 'ServiceAccount')['imagePullSecrets'], [{ name: 'regcred' }]);
    assert.equal(byKind(docs, 'Deployment').spec.template.spec.containers[0].image, '127.0.0.1:5000/team/orders:v1.2.3');
    for (const [args, env, rule] of [
      [['manifests', '../../etc'], {}, /no overlay "\.\.\/\.\.\/etc"/],
      [['manifests', 'staging'], {}, /no overlay "staging"/],
      [['manifests', 'dev'], { NAMESPACE: 'Shop;rm' }, /NAMESPACE="Shop;rm" is not a namespace name/],
      [['manifests', 'dev'], { PULL_SECRET: 'a b' }, /PULL_SECRET="a b" is not a secret name/],
      [['deploy', 'dev'], { REGISTRY: '127.0.0.1:5000/team', ROLLOUT_TIMEOUT: '5x' }, /ROLLOUT_TIMEOUT="5x" is not a duration/],
    ] as const) {
      const result = await execa('./build.sh', args, { cwd: dir, env: { KUBECTL: kubectl(), ...env }, reject: false });
      assert.equal(result.exitCode, 2, `${args.join(' ')}`);
      assert.equal(result.stderr.split('\n').length, 1, result.stderr);
      assert.match(result.stderr, rule);
    }
  });

  it('a preset sets the registry, the namespace, resources, labels (annotations where Kubernetes forbids the text) and extra overlay files', async () => {
    const preset = kubernetesPreset({
      'deploy/kubernetes/overlays/prod/ingress.yaml.ejs':
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: <%- yaml(name) %>\nspec:\n  defaultBackend:\n    service:\n      name: <%- yaml(name) %>\n      port:\n        name: http\n',
    });
    dirs.push(preset);
    const dir = await project({ preset });
    const docs = await manifests(dir, 'prod');
    assertPresetApplied(dir, byKind(docs, 'Deployment'));
    assert.equal(byKind(docs, 'Ingress').metadata.name, 'orders');
    // The extra file belongs to the overlay, so to the user: not in the record.
    const yoRc = JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'];
    assert.equal(yoRc.files['deploy/kubernetes/overlays/prod/ingress.yaml'], undefined);
    // Without --deploy kubernetes, the preset's manifests are not written.
    const plain = await generate({ module: 'example.com/shop/plain', preset });
    dirs.push(plain.dir);
    assert.ok(!listFiles(plain.dir).some((f) => f.startsWith('deploy/')));
  });

  it('a bad value in a preset\'s kubernetes section, or a bad --deploy, is one line and writes nothing', async () => {
    const { bin } = await packedPackage();
    const cwd = tempDir();
    dirs.push(cwd);
    const preset = path.join(cwd, 'preset');
    mkdirSync(preset);
    for (const [kubernetes, rule] of [
      [{ namespace: 'Acme_Apps' }, /kubernetes\.namespace: "Acme_Apps" has the capital "A" at position 1: must be a Kubernetes namespace/],
      [{ registry: 'registry.acme.internal/apps:v1' }, /kubernetes\.registry: "registry\.acme\.internal\/apps:v1" has a tag or digest, which build\.sh adds itself: must be a registry and path with no tag/],
      [{ resources: { memory: '64 MB' } }, /kubernetes\.resources\.memory: "64 MB" is not a number with a unit: must be a Kubernetes quantity/],
      [{ resources: { gpu: '1' } }, /kubernetes\.resources: unknown field "gpu"/],
    ] as const) {
      writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ kubernetes }));
      await expectRefused(bin, cwd, ['--yes', '--skip-install', '--module', 'example.com/x/y', '--deploy', 'kubernetes', '--preset', preset, 'out'], rule);
    }
    await expectRefused(bin, cwd, ['--yes', '--skip-install', '--module', 'example.com/x/y', '--deploy', 'kustomize', 'out'], /--deploy: "kustomize" is not valid: must be one of "none", "kubernetes", "helm"/);
  });

  it('update adds --deploy kubernetes to a project, then merges a base change into an edited base file and leaves an edited overlay alone', async () => {
    const { bin } = await packedPackage();
    const { dir } = await generate({ module: 'example.com/shop/orders' });
    dirs.push(dir);
    const git = (args: string[]) => execa('git', args, { cwd: dir, env: GIT_ENV });
    const commit = async (message: string) => {
      await git(['add', '-A']);
      await git(['commit', '--quiet', '-m', message]);
    };
    await git(['init', '--quiet']);
    await commit('scaffold');
    const run = (args: string[]) => execa(bin, args, { cwd: dir, reject: false, all: true, stdin: 'ignore' });

    const added = await run(['update', '--deploy', 'kubernetes']);
    assert.equal(added.exitCode, 0, added.all);
    assert.match(String(added.all), /added\s+deploy\/kubernetes\/base\/deployment\.yaml/);
    assert.match(String(added.all), /added\s+deploy\/kubernetes\/overlays\/dev\/kustomization\.yaml/);
    await commit('add the manifests');

    // The user edits a base file and an overlay.
    const deployment = 'deploy/kubernetes/base/deployment.yaml';
    const overlay = 'deploy/kubernetes/overlays/dev/kustomization.yaml';
    writeFileSync(path.join(dir, deployment), read(dir, deployment).replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 3'));
    const editedOverlay = `${read(dir, overlay)}replicas:\n  - name: orders\n    count: 1\n`;
    writeFileSync(path.join(dir, overlay), editedOverlay);
    await commit('my edits');

    // A base change: a new port.
    const updated = await run(['update', '--port', '9090']);
    assert.equal(updated.exitCode, 0, updated.all);
    assert.match(String(updated.all), /merged\s+deploy\/kubernetes\/base\/deployment\.yaml/);
    const merged = read(dir, deployment);
    assert.match(merged, /revisionHistoryLimit: 3/, 'the edit survives');
    assert.match(merged, /containerPort: 9090/, 'the base change arrives');
    assert.equal(read(dir, overlay), editedOverlay, 'the overlay is the user\'s');
    assert.doesNotMatch(String(updated.all), /overlays\/dev/);
  });
});

describe('--deploy kubernetes: names and rules', () => {
  it('an app name that is no Kubernetes name becomes one (a Service name is a DNS-1035 label)', () => {
    assert.equal(kubernetesName('client_golang'), 'client-golang');
    assert.equal(kubernetesName('3d.api__v2'), 'app-3d-api-v2');
    assert.equal(kubernetesName(`a${'-b'.repeat(40)}`).length, 63);
    assert.match(kubernetesName(`a${'.b'.repeat(40)}`), /^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('the preset rules: repository, namespace, quantity, and which labels Kubernetes takes', () => {
    assert.deepEqual(checkRepository('registry.acme.internal:5000/apps/'), { ok: true, value: 'registry.acme.internal:5000/apps' });
    for (const bad of ['', 'Registry/Apps', 'registry/apps:v1', `registry/apps@sha256:${'0'.repeat(64)}`]) assert.equal(checkRepository(bad).ok, false, bad);
    for (const good of ['acme', 'a-b-1']) assert.equal(checkNamespace(good).ok, true, good);
    for (const bad of ['Acme', '-a', 'a_b', 'a'.repeat(64)]) assert.equal(checkNamespace(bad).ok, false, bad);
    for (const good of ['100m', '64Mi', '1', '0.5', '2Gi']) assert.equal(checkQuantity(good).ok, true, good);
    for (const bad of ['64 MB', '-1', '0', '1e3', 'Mi']) assert.equal(checkQuantity(bad).ok, false, bad);
    assert.equal(isKubernetesLabel('com.acme.team', 'platform'), true);
    assert.equal(isKubernetesLabel('org.opencontainers.image.vendor', 'Acme Corp'), false);
    assert.equal(isKubernetesLabel('acme.io/owner', 'x'.repeat(64)), false);
  });

  it('--name client_golang: every object is client-golang, the image keeps its name', async () => {
    const { dir } = await generate({ module: 'example.com/x/client_golang', name: 'client_golang', deploy: 'kubernetes' });
    try {
      const docs = await manifests(dir);
      for (const doc of docs) assert.equal(doc.metadata.name, 'client-golang', doc.kind);
      assert.equal(byKind(docs, 'Deployment').spec.template.spec.containers[0].image, 'client_golang:v1.2.3');
    } finally {
      cleanup(dir);
    }
  });
});

describe('--deploy kubernetes: the docs', () => {
  it('the example preset shapes the manifests; its hand-written manifest is gone', () => {
    const preset = JSON.parse(read(PACKAGE_ROOT, 'examples/acme-preset/preset.json'));
    assert.ok(preset.kubernetes?.registry && preset.kubernetes?.namespace);
    assert.ok(!listFiles(path.join(PACKAGE_ROOT, 'examples/acme-preset')).includes('templates/deploy/kubernetes.yaml.ejs'));
  });
});
