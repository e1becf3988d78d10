// The new-user pass (its issue: "Twenty-three defects found trying the generator as a new user
// would"): each defect that needs no engine has a test here, named by its number, that failed
// before its fix. The rest are in the suites of their concern: 2 and 20 on the cluster
// (test/engine/kubernetes.test.ts), 23 through a real company network
// (test/engine/company-network.test.ts), 9 to 11 and 15 in test/validate.test.ts and
// test/generator.test.ts, 12 in test/hardening.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { load, loadAll } from 'js-yaml';
import { writeModule } from './support/modules.js';
import { expectRefused, packedPackage } from './support/packed.js';
import { cleanup, PACKAGE_ROOT, read, tempDir } from './support/project.js';
import { clusterTools } from './support/engines/tools.js';
import { GIT_ENV } from './support/users.js';
import { kubernetesExpand } from './support/kubernetes-expansion.js';

let bin = '';

async function run(cwd: string, args: string[], options: Options = {}) {
  const result = await execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', ...options } as Options);
  return { ...result, all: String(result.all), stdout: String(result.stdout), stderr: String(result.stderr) };
}

const git = (dir: string, args: string[]) => execa('git', args, { cwd: dir, env: GIT_ENV });

async function commitAll(dir: string, message: string): Promise<void> {
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '--quiet', '-m', message]);
}

/** A module whose main package never listens: a cli, like rakyll/hey. */
const CLI_MAIN = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Println(len(os.Args)) }\n';

/** ./build.sh manifests OVERLAY, rendered with the kubectl built for the test cluster. */
async function manifests(dir: string, overlay = 'dev'): Promise<Record<string, any>[]> {
  const result = await execa('./build.sh', ['manifests', overlay], { cwd: dir, env: { KUBECTL: clusterTools().kubectl, VERSION: 'v1.0.0' }, all: true, reject: false });
  assert.equal(result.exitCode, 0, String(result.all));
  return loadAll(String(result.stdout)) as Record<string, any>[];
}

describe('the new-user pass: one test per defect, named by its number', function () {
  this.timeout(300_000);
  before(async () => {
    ({ bin } = await packedPackage());
  });

  it('1. a config file, a main folder, a preset\'s CA bundle or template reached through a symbolic link is refused', async () => {
    const parent = tempDir('links-');
    const outside = path.join(parent, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.yaml'), 'password: hunter2\n');
    const module = path.join(parent, 'module');
    mkdirSync(module);
    writeFileSync(path.join(module, 'go.mod'), 'module example.com/links\n\ngo 1.26\n');
    writeFileSync(path.join(module, 'main.go'), CLI_MAIN);
    // The file itself, and a folder on the way.
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(module, 'app.yaml'));
    await expectRefused(bin, module, ['docker', '--yes', '--deploy', 'kubernetes', '--config', 'app.yaml'], /^generator-dockergo: --config app\.yaml: app\.yaml is a symbolic link in the module: the generator follows no link/, { watch: parent });
    symlinkSync(outside, path.join(module, 'conf'));
    await expectRefused(bin, module, ['docker', '--yes', '--config', 'conf/secret.yaml'], /--config conf\/secret\.yaml: conf is a symbolic link in the module/, { watch: parent });
    // --main through a linked folder.
    mkdirSync(path.join(outside, 'tool'));
    writeFileSync(path.join(outside, 'tool/main.go'), CLI_MAIN);
    symlinkSync(path.join(outside, 'tool'), path.join(module, 'tool'));
    await expectRefused(bin, module, ['docker', '--yes', '--main', './tool'], /--main \.\/tool: tool is a symbolic link in the module/, { watch: parent });
    // A preset's caCerts through a linked folder, and a template in a linked folder.
    const preset = path.join(parent, 'preset');
    mkdirSync(path.join(preset, 'templates'), { recursive: true });
    symlinkSync(outside, path.join(preset, 'certs'));
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ caCerts: 'certs/ca.pem' }));
    await expectRefused(bin, parent, ['--yes', '--skip-install', '--module', 'example.com/p', '--preset', './preset', 'p'], /caCerts: certs is a symbolic link in the preset folder/);
    writeFileSync(path.join(preset, 'preset.json'), '{}');
    symlinkSync(outside, path.join(preset, 'templates/deploy'));
    await expectRefused(bin, parent, ['--yes', '--skip-install', '--module', 'example.com/p', '--preset', './preset', 'p'], /templates\/deploy: templates\/deploy is a symbolic link in the preset folder/);
    // A link made after generation: ./build.sh, which copies the config files for the ConfigMap, follows none.
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/l/svc', '--deploy', 'kubernetes', '--config', 'conf/app.yaml', 'svc'])).exitCode, 0);
    const svc = path.join(parent, 'svc');
    rmSync(path.join(svc, 'conf'), { recursive: true });
    symlinkSync(outside, path.join(svc, 'conf'));
    writeFileSync(path.join(outside, 'app.yaml'), 'password: hunter2\n');
    const rendered = await execa('./build.sh', ['manifests', 'dev'], { cwd: svc, env: { KUBECTL: clusterTools().kubectl }, reject: false, all: true });
    assert.equal(rendered.exitCode, 2);
    assert.equal(String(rendered.all), 'build.sh: conf/app.yaml: conf is a symbolic link: a config file is the project\'s own (replace the link with the file)');
    cleanup(parent);
  });

  it('2. a $ in --args reaches the pod as written: the manifests double it, as Kubernetes expands $(VAR)', async () => {
    const parent = tempDir('dollar-');
    const words = ['$$(Y)', '$(HOME)', '--price=$5', 'a$b', '$'];
    const args = words.map((w) => `'${w}'`).join(' ');
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/d/tool', '--kind', 'cli', '--deploy', 'kubernetes', `--args=${args}`, 'tool'])).exitCode, 0);
    const job = (await manifests(path.join(parent, 'tool'))).find((d) => d['kind'] === 'Job')!;
    const container = job['spec'].template.spec.containers[0];
    // What the kubelet hands the program: the manifest's args after $(VAR) expansion, with no such variable set.
    assert.deepEqual(container.args.map((a: string) => kubernetesExpand(a, {})), words);
    // The control: the words written as they are would reach the pod changed.
    assert.notDeepEqual(words.map((w) => kubernetesExpand(w, {})), words);
    cleanup(parent);
  });

  it('3. a preset whose request exceeds its limit is refused in one line, units compared', async () => {
    const parent = tempDir('limits-');
    const cases: [Record<string, string>, RegExp][] = [
      [{ memory: '512Mi', memoryLimit: '256Mi' }, /kubernetes\.resources\.memory "512Mi" is more than kubernetes\.resources\.memoryLimit "256Mi": a request may not exceed its limit/],
      [{ memory: '0.5Gi' }, /kubernetes\.resources\.memory "0\.5Gi" is more than kubernetes\.resources\.memoryLimit "256Mi" \(the default\)/],
      [{ ephemeralStorage: '2Gi', ephemeralStorageLimit: '1500Mi' }, /ephemeralStorage "2Gi" is more than kubernetes\.resources\.ephemeralStorageLimit "1500Mi"/],
    ];
    for (const [resources, message] of cases) {
      const preset = path.join(parent, 'preset');
      mkdirSync(preset, { recursive: true });
      writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ kubernetes: { resources } }));
      await expectRefused(bin, parent, ['--yes', '--skip-install', '--module', 'example.com/p', '--deploy', 'kubernetes', '--preset', './preset', 'p'], message);
    }
    // Equal is fine, and so is a request under the limit in another unit.
    writeFileSync(path.join(parent, 'preset/preset.json'), JSON.stringify({ kubernetes: { resources: { memory: '0.25Gi', memoryLimit: '256Mi' } } }));
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/p', '--deploy', 'kubernetes', '--preset', './preset', 'p'])).exitCode, 0);
    cleanup(parent);
  });

  it('4. update (or a re-run) that changes the kind under the overlays says how, and changes nothing', async () => {
    const parent = tempDir('kind-');
    for (const [from, to] of [['cli', 'service'], ['service', 'cli']] as const) {
      const made = await run(parent, ['--yes', '--skip-install', '--module', `example.com/k/${from}`, '--kind', from, '--deploy', 'kubernetes', from]);
      assert.equal(made.exitCode, 0, made.all);
      const dir = path.join(parent, from);
      await git(dir, ['init', '--quiet']);
      await commitAll(dir, 'generated');
      const line = new RegExp(`--kind ${to}: deploy/kubernetes/overlays/ \\(yours, which the generator never rewrites\\) is written for a ${from} .*git mv deploy/kubernetes/overlays deploy/kubernetes/overlays\\.${from}`);
      await expectRefused(bin, dir, ['update', '--kind', to], line, { watch: parent });
      await expectRefused(bin, dir, ['--yes', '--skip-install', '--force', '--kind', to], line, { watch: parent });
      // Done as it says, the update writes overlays for the new kind, and prod renders.
      await git(dir, ['mv', 'deploy/kubernetes/overlays', `deploy/kubernetes/overlays.${from}`]);
      await commitAll(dir, 'overlays aside');
      const updated = await run(dir, ['update', '--kind', to]);
      assert.equal(updated.exitCode, 0, updated.all);
      assert.equal(existsSync(path.join(dir, 'deploy/kubernetes/overlays/prod/hpa.yaml')), to === 'service');
      const kinds = (await manifests(dir, 'prod')).map((d) => d['kind']);
      assert.ok(kinds.includes(to === 'service' ? 'Deployment' : 'Job'), kinds.join());
    }
    cleanup(parent);
  });

  it('13. a preset template under templates/.git/ is refused when the preset loads, naming the preset\'s file, writing nothing', async () => {
    const parent = tempDir('dotgit-');
    const preset = path.join(parent, 'preset');
    mkdirSync(path.join(preset, 'templates/.git'), { recursive: true });
    writeFileSync(path.join(preset, 'preset.json'), '{}');
    writeFileSync(path.join(preset, 'templates/.git/config.ejs'), '[core]\n');
    const line = await expectRefused(bin, parent, ['--yes', '--skip-install', '--module', 'example.com/p', '--preset', './preset', 'p'], /preset\.json: templates\/\.git: /);
    assert.match(line, /lies inside \.git\/, which belongs to git/);
    const result = await run(parent, ['--yes', '--skip-install', '--module', 'example.com/p', '--preset', './preset', 'p']);
    assert.doesNotMatch(result.all, /create /, 'files were reported before the refusal');
    cleanup(parent);
  });

  it('14. --help hides the Yeoman options that do nothing here, and says what --dry-run does', async () => {
    for (const args of [['--help'], ['docker', '--help']]) {
      const help = (await run(PACKAGE_ROOT, args)).stdout;
      for (const hidden of ['--skip-cache', '--local-config-only', '--bail', '--skip-yo-resolve', '--force-install', '--whitespace']) assert.ok(!help.includes(hidden), `${args.join(' ')} lists ${hidden}`);
      assert.match(help.replace(/\s+/g, ' '), /--dry-run Print every file that would be written, with a diff for a changed one; write nothing, run nothing/);
      assert.doesNotMatch(help, /Print conflicts/);
    }
  });

  it('16. inside another git repository, git init is skipped and said, with where to commit', async () => {
    const parent = tempDir('inrepo-');
    await git(parent, ['init', '--quiet']);
    const result = await run(parent, ['--yes', '--module', 'example.com/r/hello', 'hello'], { env: { GOFLAGS: '-mod=mod' } });
    assert.equal(result.exitCode, 0, result.all);
    assert.ok(!existsSync(path.join(parent, 'hello/.git')));
    assert.match(result.all, new RegExp(`no git init: .*hello is inside the git repository at ${parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; commit the new files there`));
    cleanup(parent);
  });

  it('18. dockergo:docker names the module, defaults to cli when nothing listens, removes what a new kind drops, and its hints follow the answers', async () => {
    const parent = tempDir('docker18-');
    const module = path.join(parent, 'hey');
    mkdirSync(module);
    writeFileSync(path.join(module, 'go.mod'), 'module example.com/tools/hey\n\ngo 1.26\n');
    writeFileSync(path.join(module, 'main.go'), CLI_MAIN);
    const first = await run(module, ['docker', '--yes']);
    assert.equal(first.exitCode, 0, first.all);
    assert.match(first.all, /Container files for example\.com\/tools\/hey are ready/);
    assert.equal(JSON.parse(read(module, '.yo-rc.json'))['generator-dockergo'].kind, 'cli');
    assert.ok(!existsSync(path.join(module, 'compose.yaml')));
    // A service, then --kind cli: compose.yaml goes.
    assert.equal((await run(module, ['docker', '--yes', '--force', '--kind', 'service'])).exitCode, 0);
    assert.ok(existsSync(path.join(module, 'compose.yaml')));
    const cli = await run(module, ['docker', '--yes', '--force', '--kind', 'cli']);
    assert.equal(cli.exitCode, 0, cli.all);
    assert.ok(!existsSync(path.join(module, 'compose.yaml')), 'compose.yaml left behind');
    assert.match(cli.all, /remove compose\.yaml/);
    // A preset's registry is the hint's; a new cli's run hint follows --args.
    const preset = path.join(parent, 'preset');
    mkdirSync(preset);
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ kubernetes: { registry: 'registry.acme.internal/apps' } }));
    const deployed = await run(module, ['docker', '--yes', '--force', '--deploy', 'kubernetes', '--preset', preset]);
    assert.match(deployed.all, /\.\/build\.sh deploy dev {3}# push to registry\.acme\.internal\/apps/);
    assert.doesNotMatch(deployed.all, /registry\.example\.com\/team/);
    const app = await run(parent, ['--yes', '--skip-install', '--module', 'example.com/t/conv', '--kind', 'cli', '--args', '-upper data.txt', 'conv']);
    assert.match(app.all, /^ {2}\.\/build\.sh run$/m);
    assert.doesNotMatch(app.all, /input\.txt output\.txt/);
    cleanup(parent);
  });

  it('18. the default kind follows what the program does: a main that listens through a package of its module is a service', async () => {
    const module = writeModule({
      'go.mod': 'module example.com/srv\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport "example.com/srv/internal/web"\n\nfunc main() { web.Serve() }\n',
      'internal/web/web.go': 'package web\n\nimport "net/http"\n\n// Serve listens on :8080.\nfunc Serve() { _ = http.ListenAndServe(":8080", nil) }\n',
    });
    assert.equal((await run(module, ['docker', '--yes'])).exitCode, 0);
    assert.equal(JSON.parse(read(module, '.yo-rc.json'))['generator-dockergo'].kind, 'service');
    cleanup(module);
  });

  it('19. a module that needs a newer Go: GOTOOLCHAIN=local is one line naming what to set; another GOTOOLCHAIN is honoured', async () => {
    const module = writeModule({
      'go.mod': 'module example.com/newer\n\ngo 1.27.0\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.27.0\n',
      'lib/lib.go': 'package lib\n\n// Hello greets.\nfunc Hello() string { return "hi" }\n',
      'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n)\n\nfunc main() { fmt.Println(lib.Hello()) }\n',
    });
    await expectRefused(bin, module, ['docker', '--yes'], /go\.mod requires Go 1\.27\.0, and the go command here is 1\.\d+\.\d+ with GOTOOLCHAIN=local, which runs no other: set GOTOOLCHAIN=auto/, { env: { GOTOOLCHAIN: 'local' } });
    const fetched = await run(module, ['docker', '--yes'], { env: { GOTOOLCHAIN: 'go1.27.4' } });
    assert.equal(fetched.exitCode, 0, fetched.all);
    assert.match(read(module, 'Dockerfile'), /^ARG GO_VERSION=1\.27\.0$/m);
    cleanup(module);
  });

  it('20. a new cli\'s dev overlay ships a sample input for its Job\'s default arguments, and the README says how to use real data', async () => {
    const parent = tempDir('sample-');
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/t/conv', '--kind', 'cli', '--deploy', 'kubernetes', 'conv'])).exitCode, 0);
    const dir = path.join(parent, 'conv');
    const docs = await manifests(dir);
    const job = docs.find((d) => d['kind'] === 'Job')!;
    const sample = docs.find((d) => d['kind'] === 'ConfigMap' && /^conv-sample-/.test(d['metadata'].name))!;
    assert.ok(sample, 'no sample ConfigMap');
    assert.deepEqual(job['spec'].template.spec.containers[0].args, ['input.txt', 'output.txt']);
    assert.deepEqual(job['spec'].template.spec.containers[0].volumeMounts.at(-1), { name: 'sample', mountPath: '/data/input.txt', subPath: 'input.txt', readOnly: true });
    assert.equal(job['spec'].template.spec.volumes.at(-1).configMap.name, sample['metadata'].name);
    assert.match(read(dir, 'README.md'), /For real data, replace that file, or mount a volume of yours/);
    // prod has no sample: real data only.
    assert.ok(!(await manifests(dir, 'prod')).some((d) => d['kind'] === 'ConfigMap'));
    cleanup(parent);
  });

  it('21. the comments say why: no HEALTHCHECK line without one, the Job\'s CPU, IfNotPresent, the namespace', async () => {
    const parent = tempDir('comments-');
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/t/conv', '--kind', 'cli', '--base', 'distroless', '--deploy', 'kubernetes', 'conv'])).exitCode, 0);
    const dir = path.join(parent, 'conv');
    assert.doesNotMatch(read(dir, 'Dockerfile'), /HEALTHCHECK/);
    const job = read(dir, 'deploy/kubernetes/base/job.yaml');
    assert.match(job, /# No CPU limit: it throttles/);
    assert.match(job, /# IfNotPresent is exact: build\.sh deploy pins the image by its digest/);
    assert.match(job, /# No namespace: it is chosen at deploy time/);
    assert.match(read(dir, 'deploy/kubernetes/base/kustomization.yaml'), /# No namespace: it is chosen at deploy time/);
    // With a preset's namespace the manifests have one, and say nothing of choosing it.
    const preset = path.join(parent, 'preset');
    mkdirSync(preset);
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ kubernetes: { namespace: 'apps' } }));
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/t/svc', '--deploy', 'kubernetes', '--preset', './preset', 'svc'])).exitCode, 0);
    assert.doesNotMatch(read(path.join(parent, 'svc'), 'deploy/kubernetes/base/deployment.yaml'), /No namespace/);
    assert.match(read(path.join(parent, 'svc'), 'Dockerfile'), /HEALTHCHECK --interval/);
    cleanup(parent);
  });

  it('22. PORT read in a package the main imports counts: no note that the program never reads it', async () => {
    const module = writeModule({
      'go.mod': 'module example.com/bin\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport (\n\t"os"\n\n\t"example.com/bin/internal/cfg"\n)\n\nfunc main() { cfg.Run(os.Getenv) }\n',
      'internal/cfg/cfg.go': 'package cfg\n\nimport "net/http"\n\n// Run listens where getenv says.\nfunc Run(getenv func(string) string) { _ = http.ListenAndServe(":"+getenv("PORT"), nil) }\n',
    });
    const result = await run(module, ['docker', '--yes']);
    assert.equal(result.exitCode, 0, result.all);
    assert.doesNotMatch(result.all, /never reads PORT/);
    // The control: a module that never names PORT gets the note.
    const other = writeModule({
      'go.mod': 'module example.com/other\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":9000", nil) }\n',
    });
    assert.match((await run(other, ['docker', '--yes'])).all, /never reads PORT/);
    cleanup(module);
    cleanup(other);
  });

  it('23. compose.yaml passes the netrc secret and the CA; the workflow writes its NETRC secret to the file build.sh reads', async () => {
    const parent = tempDir('company-');
    assert.equal((await run(parent, ['--yes', '--skip-install', '--module', 'example.com/t/svc', '--ci', 'github', 'svc'])).exitCode, 0);
    const dir = path.join(parent, 'svc');
    const compose = load(read(dir, 'compose.yaml')) as Record<string, any>;
    const build = compose['services'].svc.build;
    assert.deepEqual(build.secrets, ['netrc']);
    assert.equal(build.args.CA_CERTS, '${CA_CERTS_PEM:-}');
    assert.deepEqual(compose['secrets'], { netrc: { environment: 'NETRC_TEXT' } });
    const workflow = load(read(dir, '.github/workflows/ci.yml')) as Record<string, any>;
    for (const [name, job] of Object.entries(workflow['jobs'] as Record<string, any>)) {
      const writes = job.steps.findIndex((s: any) => String(s.run ?? '').includes('"$RUNNER_TEMP/netrc"'));
      assert.ok(writes >= 0, `${name} writes no netrc file`);
      assert.equal(job.steps[writes].env.NETRC, '${{ secrets.NETRC }}');
      for (const step of job.steps.slice(writes + 1).filter((s: any) => /\.\/build\.sh (test|build|push)/.test(String(s.run)))) {
        assert.equal(step.env.NETRC_FILE, '${{ runner.temp }}/netrc', `${name}: ${step.run}`);
      }
    }
    cleanup(parent);
  });

  it('the README: the first command scaffolds outside the checkout (16); "Use" says how to run from a clone (17)', () => {
    const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const first = readme.split('\n').find((l) => l.startsWith('npm install &&'))!;
    const folder = /--module \S+ (\S+)/.exec(first)![1]!;
    assert.ok(path.relative(PACKAGE_ROOT, path.resolve(PACKAGE_ROOT, folder)).startsWith('..'), `${folder} is inside the checkout`);
    assert.match(readme, /npm link/);
  });
});
