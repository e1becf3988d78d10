// --deploy helm without a cluster: the chart's files, `helm lint --strict`, what `./build.sh
// manifests` renders (helm template, the Helm built for the test cluster), values.schema.json
// refusing bad values with Helm's own message, and the chart agreeing with the Kustomize dev overlay
// made from the same answers: the same objects, security contexts, probes, resources and drain,
// apart from the labels and names each tool adds, each named here.
import assert from 'node:assert/strict';
import path from 'node:path';
import { execa } from 'execa';
import * as yaml from 'js-yaml';
import { clusterTools } from './support/engines/tools.js';
import { assertPresetApplied, kubernetesPreset } from './support/preset-checks.js';
import { cleanup, generate, listFiles, PACKAGE_ROOT, read, runApp, tempDir } from './support/project.js';

type Doc = { kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };

const tools = () => clusterTools();

async function manifests(dir: string, env: Record<string, string> = {}, args: string[] = []): Promise<Doc[]> {
  const result = await execa('./build.sh', ['manifests', 'dev', ...args], {
    cwd: dir,
    env: { KUBECTL: tools().kubectl, HELM: tools().helm, VERSION: 'v1.2.3', ...env },
    all: true,
    reject: false,
  });
  assert.equal(result.exitCode, 0, String(result.all));
  return (yaml.loadAll(String(result.stdout)) as (Doc | null)[]).filter((d): d is Doc => d !== null);
}

/** Labels only Helm adds (its release and chart bookkeeping); Kustomize adds none the chart lacks. */
const HELM_LABELS = ['app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version', 'helm.sh/chart'];

/** A ConfigMap's name without the hash Kustomize's generator appends (ten characters of its alphabet). */
const unhashed = (name: string) => name.replace(/-[bcdfghkmt2-9]{10}$/, '');

/** A document with what each tool adds on its own taken out: those labels, the pod template's config checksum, the ConfigMap's name. */
function comparable(doc: Doc): Doc {
  const copy = JSON.parse(JSON.stringify(doc)) as Doc;
  const strip = (labels: Record<string, string> | undefined) => {
    if (!labels) return;
    for (const key of HELM_LABELS) delete labels[key];
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, any>;
    if (o['labels']) strip(o['labels'] as Record<string, string>);
    if (o['matchLabels']) strip(o['matchLabels'] as Record<string, string>);
    if (o['selector'] && typeof o['selector'] === 'object' && !('matchLabels' in o['selector'])) strip(o['selector'] as Record<string, string>);
    // Kustomize names a generated ConfigMap with a hash of its content after it; the chart does not.
    if (o['configMap']?.name) o['configMap'].name = unhashed(o['configMap'].name as string);
    if (o['annotations']?.['checksum/config']) delete o['annotations']['checksum/config'];
    if (o['annotations'] && Object.keys(o['annotations']).length === 0) delete o['annotations'];
    Object.values(o).forEach(walk);
  };
  walk(copy);
  if (copy.kind === 'ConfigMap') copy.metadata.name = unhashed(copy.metadata.name);
  // Kustomize's dev overlay labels none of its own objects (the base's labels reach the base's alone).
  if (copy.kind === 'ConfigMap' && copy.metadata.name.endsWith('-sample')) delete copy.metadata.labels;
  return copy;
}

describe('--deploy helm: the chart', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  after(() => dirs.forEach(cleanup));
  const project = async (options: Record<string, unknown>) => {
    const { dir } = await generate({ module: 'example.com/shop/orders', ...options });
    dirs.push(dir);
    return dir;
  };

  it('a service: Chart.yaml, values with their schema, and the templates of every object, with a helm test', async () => {
    const dir = await project({ deploy: 'helm' });
    assert.deepEqual(
      listFiles(dir).filter((f) => f.startsWith('deploy/')),
      [
        'deploy/helm/orders/.helmignore',
        'deploy/helm/orders/Chart.yaml',
        'deploy/helm/orders/templates/NOTES.txt',
        'deploy/helm/orders/templates/_helpers.tpl',
        'deploy/helm/orders/templates/deployment.yaml',
        'deploy/helm/orders/templates/hpa.yaml',
        'deploy/helm/orders/templates/httproute.yaml',
        'deploy/helm/orders/templates/ingress.yaml',
        'deploy/helm/orders/templates/networkpolicy.yaml',
        'deploy/helm/orders/templates/pdb.yaml',
        'deploy/helm/orders/templates/service.yaml',
        'deploy/helm/orders/templates/serviceaccount.yaml',
        'deploy/helm/orders/templates/tests/networkpolicy.yaml',
        'deploy/helm/orders/templates/tests/test-healthz.yaml',
        'deploy/helm/orders/values-dev.yaml',
        'deploy/helm/orders/values-prod.yaml',
        'deploy/helm/orders/values.schema.json',
        'deploy/helm/orders/values.yaml',
      ],
    );
  });

  for (const [title, options] of [
    ['a service', {}],
    ['a service with config files', { config: ['config/app.yaml'] }],
    ['a cli', { kind: 'cli' }],
  ] as const) {
    it(`${title}: helm lint --strict is clean, on its defaults and with values-prod.yaml; build.sh passes shellcheck`, async () => {
      const dir = await project({ deploy: 'helm', ...options });
      const shellcheck = await execa('shellcheck', ['--severity=style', 'build.sh'], { cwd: dir, reject: false, all: true });
      assert.equal(shellcheck.exitCode, 0, String(shellcheck.all));
      const chart = path.join(dir, 'deploy/helm/orders');
      const sets = 'config' in options ? ['--set-string', 'configFiles.config_app\\.yaml=x: 1'] : [];
      for (const values of [[], ['--values', path.join(chart, 'values-prod.yaml')]]) {
        const lint = await execa(tools().helm, ['lint', '--strict', chart, ...values, ...sets], { all: true, reject: false });
        assert.equal(lint.exitCode, 0, String(lint.all));
        assert.match(String(lint.all), /1 chart\(s\) linted, 0 chart\(s\) failed/);
      }
    });
  }

  it('a preset sets the registry, the namespace, resources, labels and an extra chart template, as for Kustomize', async () => {
    // The extra template: a chart template of the preset's, with Helm's own template syntax beside EJS.
    const preset = kubernetesPreset({
      'deploy/helm/chart/templates/limitrange.yaml.ejs':
        'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: {{ include "<%- kubernetes.name %>.fullname" . }}\n  namespace: {{ .Release.Namespace | quote }}\nspec:\n  limits:\n    - type: Container\n      max:\n        memory: 1Gi\n',
    });
    dirs.push(preset);
    const dir = await project({ deploy: 'helm', preset });
    assert.ok(listFiles(dir).includes('deploy/helm/orders/templates/limitrange.yaml'));
    const docs = await manifests(dir);
    assertPresetApplied(dir, docs.find((d) => d.kind === 'Deployment')!);
    const extra = docs.find((d) => d.kind === 'LimitRange')!;
    assert.equal(extra.metadata.name, 'orders');
    assert.equal(extra.metadata['namespace' as 'name'], 'acme-apps');
    // With --deploy kubernetes, the preset's chart template is not written.
    const kustomize = await project({ deploy: 'kubernetes', preset });
    assert.ok(!listFiles(kustomize).some((f) => f.startsWith('deploy/helm/')));
  });

  it('is asked at the prompt, named in --help, and stored in .yo-rc.json', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await runApp(dir, { yes: false, skipInstall: true, goVersion: '1.26.8' }).withAnswers({ module: 'example.com/shop/asked', deploy: 'helm' });
    assert.ok(listFiles(dir).includes('deploy/helm/asked/Chart.yaml'));
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].deploy, 'helm');
    const help = await execa(process.execPath, [path.join(PACKAGE_ROOT, 'dist/generator-dockergo.js'), '--help']);
    const deployHelp = help.stdout.slice(help.stdout.indexOf('--deploy <value>'), help.stdout.indexOf('--preset <value>')).replace(/\s+/g, ' ');
    assert.match(deployHelp, /`helm` writes a chart/);
  });

  it("build.sh: a bad values name, RELEASE or NAMESPACE is one line, before helm runs", async () => {
    const dir = await project({ deploy: 'helm' });
    for (const [args, env, rule] of [
      [['manifests', 'staging'], {}, /^build\.sh: no values "staging": deploy\/helm\/orders\/values-staging\.yaml does not exist/],
      [['manifests', '../prod'], {}, /^build\.sh: no values "\.\.\/prod": ENV is a name such as dev or prod/],
      [['manifests', 'dev'], { RELEASE: 'Orders' }, /^build\.sh: RELEASE="Orders" is not a release name/],
      [['manifests', 'dev'], { NAMESPACE: 'Shop_1' }, /^build\.sh: NAMESPACE="Shop_1" is not a namespace name/],
    ] as const) {
      const result = await execa('./build.sh', args, { cwd: dir, env: { HELM: tools().helm, ...env }, all: true, reject: false });
      assert.equal(result.exitCode, 2, String(result.all));
      assert.equal(result.stderr.split('\n').length, 1, result.stderr);
      assert.match(result.stderr, rule);
    }
  });

  it('--name client_golang: the chart and every object are client-golang, the image keeps its name, as build.sh pushes it', async () => {
    const dir = await project({ module: 'example.com/x/client_golang', name: 'client_golang', deploy: 'helm' });
    const rendered = await execa(tools().helm, ['template', 'client-golang', 'deploy/helm/client-golang'], { cwd: dir, all: true, reject: false });
    assert.equal(rendered.exitCode, 0, String(rendered.all));
    const docs = (yaml.loadAll(String(rendered.stdout)) as (Doc | null)[]).filter((d): d is Doc => d !== null && !d.metadata.annotations?.['helm.sh/hook']);
    for (const doc of docs) assert.equal(doc.metadata.name, 'client-golang', doc.kind);
    assert.equal(docs.find((d) => d.kind === 'Deployment')!['spec'].template.spec.containers[0].image, 'client_golang:0.1.0');
  });

  it('values.schema.json refuses a bad value with Helm\'s own message; the control passes', async () => {
    const dir = await project({ deploy: 'helm' });
    const chart = path.join(dir, 'deploy/helm/orders');
    const template = (args: readonly string[]) => execa(tools().helm, ["template", "orders", chart, ...args], { all: true, reject: false });
    assert.equal((await template(['--set', 'replicaCount=3'])).exitCode, 0);
    for (const [args, message] of [
      [['--set-string', 'replicaCount=two'], /replicaCount.*(integer|got string)/],
      [['--set', 'service.port=70000'], /service\/port'?: maximum: got 70,000, want 65,535/],
      [['--set', 'replicas=2'], /additional properties? 'replicas'|replicas.*not allowed/],
    ] as const) {
      const refused = await template(args);
      assert.notEqual(refused.exitCode, 0, `${args.join(' ')} was accepted`);
      assert.match(String(refused.all), message);
    }
  });

  it("a template never renders an empty field: a value missing from the user's values.yaml stops helm with its name", async () => {
    const dir = await project({ deploy: 'helm', config: ['config/app.yaml'] });
    const chart = path.join(dir, 'deploy/helm/orders');
    const missing = await execa(tools().helm, ['template', 'orders', chart], { all: true, reject: false });
    assert.notEqual(missing.exitCode, 0);
    assert.match(String(missing.all), /configFiles\.config_app\.yaml is empty: \.\/build\.sh passes config\/app\.yaml with --set-file/);
  });

  for (const [title, options] of [
    ['a service with a config file', { config: ['config/app.yaml'] }],
    ['a service on port 9090, distroless', { port: 9090, base: 'distroless' }],
    ['a cli', { kind: 'cli' }],
  ] as const) {
    it(`one source: ${title}: helm template and the Kustomize dev overlay give the same objects, apart from each tool's labels`, async () => {
      const helmDir = await project({ deploy: 'helm', ...options });
      const kustomizeDir = await project({ deploy: 'kubernetes', ...options });
      const fromHelm = (await manifests(helmDir, { RELEASE: 'orders', NAMESPACE: 'shop' })).filter((d) => !d.metadata.annotations?.['helm.sh/hook']);
      const fromKustomize = await manifests(kustomizeDir, { NAMESPACE: 'shop' });
      const key = (d: Doc) => `${d.kind}/${unhashed(d.metadata.name)}`;
      assert.deepEqual(fromHelm.map(key).sort(), fromKustomize.map(key).sort(), 'the same objects');
      for (const doc of fromKustomize) {
        const twin = fromHelm.find((d) => key(d) === key(doc))!;
        assert.deepEqual(comparable(twin), comparable(doc), key(doc));
      }
    });
  }
});
