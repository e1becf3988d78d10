// `update` and the Helm chart, through the packed bin with real git: `update --deploy helm` adds
// the chart to a project that had none, and a new generator version whose chart template reads a
// new value reaches a project whose team edited both that template and values.yaml. The template
// change merges into the edited template, and the new value reaches the edited values.yaml through
// the same three-way merge, so that no template renders with the value missing.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import * as yaml from 'js-yaml';
import { clusterTools } from './support/engines/tools.js';
import { packedPackage } from './support/packed.js';
import { cleanup, read, tempDir } from './support/project.js';
import { GIT_ENV } from './support/users.js';

const CHART = 'deploy/helm/orders';
const FLAGS = ['--yes', '--skip-install', '--module', 'example.com/shop/orders', '--go-version', '1.26.8'];

async function run(bin: string, cwd: string, args: string[]) {
  const result = await execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore' });
  return { exitCode: result.exitCode, all: String(result.all) };
}

async function commit(dir: string, message: string): Promise<void> {
  if ((await execa('git', ['rev-parse', '--git-dir'], { cwd: dir, reject: false })).exitCode !== 0) await execa('git', ['init', '--quiet'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir, env: GIT_ENV });
  await execa('git', ['commit', '--quiet', '-m', message], { cwd: dir, env: GIT_ENV });
}

/** What `./build.sh manifests dev` renders (helm template), by kind. */
async function rendered(dir: string): Promise<Map<string, Record<string, any>>> {
  const result = await execa('./build.sh', ['manifests', 'dev'], { cwd: dir, env: { HELM: clusterTools().helm, VERSION: 'v1.0.0' }, all: true, reject: false });
  assert.equal(result.exitCode, 0, String(result.all));
  const docs = (yaml.loadAll(String(result.stdout)) as (Record<string, any> | null)[]).filter((d) => d !== null);
  return new Map(docs.map((d) => [String(d['kind']), d]));
}

describe('update and the Helm chart, through the packed bin', function () {
  this.timeout(300_000);
  let bin = '';
  let tarball = '';
  const dirs: string[] = [];
  before(async () => ({ bin, tarball } = await packedPackage()));
  after(() => dirs.forEach(cleanup));

  it('update --deploy helm adds the chart to a project that had none; build.sh then renders it with helm', async () => {
    const parent = tempDir('helm-update-');
    dirs.push(parent);
    assert.equal((await run(bin, parent, [...FLAGS, 'orders'])).exitCode, 0);
    const dir = path.join(parent, 'orders');
    await commit(dir, 'generated without a deploy target');
    assert.doesNotMatch(read(dir, 'build.sh'), /helm/);

    const update = await run(bin, dir, ['update', '--deploy', 'helm']);
    assert.equal(update.exitCode, 0, update.all);
    for (const file of ['Chart.yaml', 'values.yaml', 'values.schema.json', 'templates/deployment.yaml', 'templates/tests/test-healthz.yaml']) {
      assert.match(update.all, new RegExp(`^\\s+added ${CHART}/${file.replaceAll('.', '\\.')}$`, 'm'));
    }
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].deploy, 'helm');
    assert.match(read(dir, 'build.sh'), /upgrade --install/);
    const objects = await rendered(dir);
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget', 'NetworkPolicy']) assert.ok(objects.has(kind), kind);
    assert.equal((await execa(clusterTools().helm, ['lint', '--strict', `${CHART}`], { cwd: dir, reject: false })).exitCode, 0);
  });

  it('a new chart template and value merge into a template and a values.yaml the team edited', async () => {
    // The "new version": the same tarball, installed again, whose Deployment template reads a new value.
    const next = tempDir('dockergo-next-');
    dirs.push(next);
    await execa('npm', ['install', '--prefix', next, '--no-audit', '--no-fund', '--omit=dev', tarball]);
    const pkg = path.join(next, 'node_modules/generator-dockergo');
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(path.join(pkg, file), 'utf8');
      assert.ok(text.includes(from), `${file} no longer holds ${from}`);
      writeFileSync(path.join(pkg, file), text.replace(from, to));
    };
    edit('templates/deploy/helm/chart/templates/deployment.yaml.ejs', 'revisionHistoryLimit: 5', 'revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}');
    const values = path.join(pkg, 'templates/deploy/helm/chart/values.yaml.ejs');
    writeFileSync(values, `${readFileSync(values, 'utf8')}\n# Old ReplicaSets kept for a rollback.\nrevisionHistoryLimit: 7\n`);
    // The schema's new key, in the bundle the bin runs (where the bundler may have renamed the helper).
    const bundle = path.join(pkg, 'dist/generator-dockergo.js');
    const code = readFileSync(bundle, 'utf8');
    assert.match(code, /drainSeconds: count\d*\(/);
    writeFileSync(bundle, code.replace(/drainSeconds: (count\d*)\(/, "revisionHistoryLimit: $1('Old ReplicaSets kept.', 0, 100), drainSeconds: $1("));
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: '0.2.0' }, null, 2));
    const nextBin = path.join(next, 'node_modules/.bin/generator-dockergo');

    const parent = tempDir('helm-update-');
    dirs.push(parent);
    assert.equal((await run(bin, parent, [...FLAGS, '--deploy', 'helm', 'orders'])).exitCode, 0);
    const dir = path.join(parent, 'orders');
    await commit(dir, 'generated by 0.1.0');
    // The team's edits: no Service links in the pods, and three replicas.
    const template = `${CHART}/templates/deployment.yaml`;
    writeFileSync(path.join(dir, template), read(dir, template).replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      enableServiceLinks: false\n'));
    writeFileSync(path.join(dir, `${CHART}/values.yaml`), read(dir, `${CHART}/values.yaml`).replace('replicaCount: 2', 'replicaCount: 3'));
    await commit(dir, 'our edits');

    const update = await run(nextBin, dir, ['update']);
    assert.equal(update.exitCode, 0, update.all);
    assert.match(update.all, new RegExp(`^\\s+merged ${template.replaceAll('.', '\\.')}$`, 'm'));
    assert.match(update.all, new RegExp(`^\\s+merged ${CHART}/values\\.yaml$`, 'm'));
    assert.match(update.all, new RegExp(`^\\s+updated ${CHART}/values\\.schema\\.json$`, 'm'));
    assert.match(read(dir, template), /enableServiceLinks: false/);
    assert.match(read(dir, template), /revisionHistoryLimit: \{\{ \.Values\.revisionHistoryLimit \}\}/);
    assert.match(read(dir, `${CHART}/values.yaml`), /^replicaCount: 3$/m);
    assert.match(read(dir, `${CHART}/values.yaml`), /^revisionHistoryLimit: 7$/m);

    const deployment = (await rendered(dir)).get('Deployment')!;
    assert.equal(deployment['spec'].revisionHistoryLimit, 7);
    assert.equal(deployment['spec'].replicas, 3);
    assert.equal(deployment['spec'].template.spec.enableServiceLinks, false);
    assert.equal((await execa(clusterTools().helm, ['lint', '--strict', CHART], { cwd: dir, reject: false })).exitCode, 0);
  });
});
