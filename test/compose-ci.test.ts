// compose.yaml and the GitHub workflow, without an engine: what they hold, Compose v5's own
// `docker compose config` on each (the plugin built from its module), and actionlint (with
// shellcheck on the run: blocks) on every workflow variant. The engine half is compose.test.ts.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { load as loadYaml } from 'js-yaml';
import { actionlint, tools } from './support/engines/tools.js';
import { greeterModule, shopModule } from './support/modules.js';
import { cleanup, generate, read, tempDir } from './support/project.js';
import { dockerGenerate } from './support/variants.js';

interface ComposeService {
  build: { context: string; target: string; args: string[] };
  ports: string[];
  healthcheck?: { test: string[]; interval: string; start_interval: string };
  read_only: boolean;
  tmpfs: string[];
  cap_drop: string[];
  security_opt: string[];
  develop: { watch: { action: string; path: string; include: string[]; ignore: string[] }[] };
}

const composeOf = (dir: string): { name: string; services: Record<string, ComposeService> } =>
  loadYaml(read(dir, 'compose.yaml')) as { name: string; services: Record<string, ComposeService> };

/** A DOCKER_CONFIG holding the Compose v5 plugin; `docker compose config` needs no daemon. */
function composeConfigDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'compose-config-'));
  mkdirSync(path.join(dir, 'cli-plugins'));
  copyFileSync(path.join(tools().compose, 'docker-compose'), path.join(dir, 'cli-plugins/docker-compose'));
  writeFileSync(path.join(dir, 'config.json'), '{}\n');
  return dir;
}

describe('compose.yaml', function () {
  this.timeout(120_000);
  let dockerConfig = '';
  before(() => (dockerConfig = composeConfigDir()));
  after(() => rmSync(dockerConfig, { recursive: true, force: true }));

  /** `docker compose config` as Compose v5 reads the file: the normalised model, as JSON. */
  async function composeConfig(dir: string, env: Record<string, string> = {}) {
    const result = await execa('docker', ['compose', 'config', '--format', 'json'], {
      cwd: dir,
      env: { DOCKER_CONFIG: dockerConfig, ...env },
      reject: false,
      all: true,
    });
    assert.equal(result.exitCode, 0, `docker compose config failed:\n${result.all}`);
    return JSON.parse(result.stdout) as { services: Record<string, Record<string, any>> };
  }

  it('a service: built from the runtime target, its port on 127.0.0.1, the healthcheck, a rebuild watch on Go files and config', async () => {
    const { dir } = await generate({ module: 'example.com/acme/orders', port: '7070', layout: 'cmd', config: ['config/app.yaml'] });
    const compose = composeOf(dir);
    assert.equal(compose.name, 'orders');
    const service = compose.services['orders']!;
    assert.equal(service.build.target, 'runtime');
    assert.deepEqual(service.ports, ['${BIND:-127.0.0.1}:7070:7070']);
    assert.deepEqual(service.healthcheck?.test, ['CMD', '/usr/local/bin/orders', '-healthcheck']);
    assert.equal(service.healthcheck?.start_interval, '1s');
    assert.equal(service.read_only, true);
    assert.deepEqual(service.tmpfs, ['/tmp']);
    assert.deepEqual(service.cap_drop, ['ALL']);
    assert.deepEqual(service.security_opt, ['no-new-privileges:true']);
    const [watch] = service.develop.watch;
    assert.equal(watch?.action, 'rebuild');
    assert.deepEqual(watch?.include, ['**/*.go', 'go.mod', 'go.sum', 'config/app.yaml']);
    assert.deepEqual(watch?.ignore, ['**/*.md', 'docs/', 'bin/']);

    const model = await composeConfig(dir);
    const orders = model.services['orders']!;
    assert.equal(orders['build'].target, 'runtime');
    assert.deepEqual(orders['ports'], [{ mode: 'ingress', host_ip: '127.0.0.1', target: 7070, published: '7070', protocol: 'tcp' }]);
    // GO_VERSION and Go's variables reach the build only when set: the Dockerfile's defaults apply otherwise. The CA
    // is empty (the Dockerfile's own default) unless CA_CERTS_PEM holds one; the netrc secret is NETRC_TEXT's text,
    // none when it is unset (the new-user pass, item 23: a file secret would need Compose v5's --allow=fs.read).
    assert.deepEqual(orders['build'].args, { CA_CERTS: '' });
    assert.deepEqual(orders['build'].secrets, [{ source: 'netrc' }]);
    assert.deepEqual((model as Record<string, any>)['secrets'].netrc, { name: 'orders_netrc', environment: 'NETRC_TEXT' });
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const pinned = await composeConfig(dir, { GO_VERSION: '1.27.4', BIND: '0.0.0.0', GOPROXY: 'https://goproxy.corp.example', CA_CERTS_PEM: pem, NETRC_TEXT: 'machine x' });
    assert.deepEqual(pinned.services['orders']!['build'].args, { GO_VERSION: '1.27.4', GOPROXY: 'https://goproxy.corp.example', CA_CERTS: pem });
    assert.equal((pinned as Record<string, any>)['secrets'].netrc.environment, 'NETRC_TEXT');
    assert.equal((pinned as Record<string, any>)['secrets'].netrc.file, undefined, 'no file: nothing for Compose to be granted');
    assert.equal(pinned.services['orders']!['ports'][0].host_ip, '0.0.0.0');
    cleanup(dir);
  });

  for (const base of ['alpine', 'scratch', 'distroless']) {
    it(`--base ${base}: Compose v5 reads it`, async () => {
      const { dir } = await generate({ module: 'example.com/acme/svc', base });
      const model = await composeConfig(dir);
      assert.deepEqual(model.services['svc']!['healthcheck'].test, ['CMD', '/usr/local/bin/svc', '-healthcheck']);
      cleanup(dir);
    });
  }

  it('--no-compose writes none; a cli gets none', async () => {
    const { dir } = await generate({ module: 'example.com/acme/svc', compose: false });
    assert.ok(!existsSync(path.join(dir, 'compose.yaml')));
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].compose, false);
    const { dir: cli } = await generate({ module: 'example.com/acme/tool', kind: 'cli' });
    assert.ok(!existsSync(path.join(cli, 'compose.yaml')));
    cleanup(dir);
    cleanup(cli);
  });

  it('dockergo:docker: an existing service gets one, without a healthcheck its program cannot run', async () => {
    const dir = await greeterModule();
    await dockerGenerate(dir, { port: '8090' });
    const service = composeOf(dir).services['greeter']!;
    assert.deepEqual(service.ports, ['${BIND:-127.0.0.1}:8090:8090']);
    assert.equal(service.healthcheck, undefined);
    await composeConfig(dir);
    cleanup(dir);
  });

  it('dockergo:docker: a module with docker-compose.yml of its own gets no compose.yaml, which would take its place', async () => {
    const dir = shopModule();
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  db:\n    image: postgres:17\n');
    await dockerGenerate(dir, { main: './cmd/api' });
    assert.ok(!existsSync(path.join(dir, 'compose.yaml')));
    assert.equal(read(dir, 'docker-compose.yml'), 'services:\n  db:\n    image: postgres:17\n');
    cleanup(dir);
  });
});

describe('the GitHub workflow (--ci github)', function () {
  this.timeout(120_000);
  const VARIANTS: Record<string, unknown>[] = [
    { base: 'alpine', kind: 'service', layout: 'flat' },
    { base: 'scratch', kind: 'service', layout: 'cmd', config: ['config/app.yaml'] },
    { base: 'distroless', kind: 'cli', layout: 'flat' },
    { base: 'alpine', kind: 'cli', layout: 'cmd', goprivate: 'git.acme.example/*' },
  ];

  /** The workflow with each action at its major tag (actions/checkout@v6), whose inputs actionlint knows. */
  function atMajorTags(workflow: string): string {
    return workflow.replace(/^(\s+- uses: [\w-]+\/[\w-]+(?:\/[\w-]+)?@v\d+)\.\d+\.\d+$/gm, '$1');
  }

  it('is written only when asked', async () => {
    const { dir } = await generate({ module: 'example.com/acme/svc' });
    assert.ok(!existsSync(path.join(dir, '.github')));
    cleanup(dir);
  });

  for (const variant of VARIANTS) {
    it(`${JSON.stringify(variant)}: actionlint and shellcheck find nothing, with the actions' inputs checked too`, async () => {
      const { dir } = await generate({ module: 'example.com/acme/svc', ci: 'github', ...variant });
      const linted = await actionlint(dir);
      assert.equal(linted.exitCode, 0, linted.all);
      const workflow = read(dir, '.github/workflows/ci.yml');
      const majors = atMajorTags(workflow);
      assert.notEqual(majors, workflow);
      writeFileSync(path.join(dir, '.github/workflows/ci.yml'), majors);
      const checked = await actionlint(dir);
      assert.equal(checked.exitCode, 0, checked.all);
      cleanup(dir);
    });
  }

  it('dockergo:docker writes it for an existing module, and actionlint passes it', async () => {
    const dir = shopModule();
    await dockerGenerate(dir, { main: './cmd/api', ci: 'github' });
    const linted = await actionlint(dir);
    assert.equal(linted.exitCode, 0, linted.all);
    cleanup(dir);
  });

  describe('what it holds', () => {
    type Step = { id?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };
    type Job = { if?: string; needs?: string[]; permissions: Record<string, string>; steps: Step[] };
    let workflow: { on: Record<string, unknown>; permissions: unknown; concurrency: Record<string, string>; jobs: Record<string, Job> };
    let text = '';
    before(async () => {
      const { dir } = await generate({ module: 'example.com/acme/orders', ci: 'github' });
      text = read(dir, '.github/workflows/ci.yml');
      workflow = loadYaml(text) as typeof workflow;
      cleanup(dir);
    });
    const steps = (job: string): Step[] => workflow.jobs[job]!.steps;
    const runs = (job: string): string[] => steps(job).flatMap((s) => (s.run ? [s.run] : []));

    it('go vet and go test on the Go of go.mod, with the module cache cached', () => {
      const netrc = `umask 077 && printf '%s\\n' "$NETRC" > "$RUNNER_TEMP/netrc"`;
      assert.deepEqual(runs('go'), [netrc, 'go vet ./...', 'go test ./...']);
      for (const step of steps('go').filter((s) => s.run?.startsWith('go '))) assert.equal(step.env?.['NETRC'], '${{ runner.temp }}/netrc');
      const setup = steps('go').find((s) => s.uses?.startsWith('actions/setup-go@'))!;
      assert.equal(setup.with?.['go-version-file'], 'go.mod');
      assert.match(setup.with?.['cache-dependency-path'] ?? '', /go\.sum/);
    });

    it('./build.sh test and build on every push; both platforms on pull requests', () => {
      const netrc = `umask 077 && printf '%s\\n' "$NETRC" > "$RUNNER_TEMP/netrc"`;
      assert.deepEqual(runs('image'), ['echo "version=$(./build.sh go-version)" >> "$GITHUB_OUTPUT"', netrc, './build.sh test', './build.sh build', './build.sh size']);
      assert.equal(workflow.jobs['multiarch']!.if, "github.event_name == 'pull_request'");
      const build = steps('multiarch').find((s) => s.run === './build.sh build')!;
      assert.equal(build.env?.['PLATFORMS'], 'linux/amd64,linux/arm64');
    });

    it('on tags only, a push to ghcr.io of both platforms (build.sh adds provenance and SBOM)', () => {
      const release = workflow.jobs['release']!;
      assert.equal(release.if, "startsWith(github.ref, 'refs/tags/v')");
      assert.deepEqual(release.needs, ['go', 'image']);
      const push = steps('release').find((s) => s.run?.includes('./build.sh push'))!;
      assert.equal(push.run, 'REGISTRY="ghcr.io/${OWNER,,}" ./build.sh push');
      assert.equal(push.env?.['PLATFORMS'], 'linux/amd64,linux/arm64');
      assert.equal(steps('release').find((s) => s.uses?.startsWith('docker/login-action@'))?.with?.['registry'], 'ghcr.io');
    });

    type Cached = { job: string; restore: number; save: number; builds: number[]; key: string; path: string };
    /** Each image job's cache steps and the build.sh steps that use them, by position. */
    const cached = (job: string): Cached => {
      const s = steps(job);
      const at = (prefix: string) => s.findIndex((x) => x.uses?.startsWith(prefix));
      const restore = s[at('actions/cache/restore@')];
      const builds = s.flatMap((x, i) => (/\.\/build\.sh (test|build|push)\b/.test(x.run ?? '') ? [i] : []));
      return { job, restore: at('actions/cache/restore@'), save: at('actions/cache/save@'), builds, key: restore?.with?.['key'] ?? '', path: restore?.with?.['path'] ?? '' };
    };
    const IMAGE_JOBS = ['image', 'multiarch', 'release'];

    it('every image job restores the build cache before its first build, and each build gets CACHE_DIR at that path', () => {
      for (const job of IMAGE_JOBS) {
        const c = cached(job);
        assert.ok(c.restore >= 0, `${job} restores no cache`);
        assert.ok(c.builds.length > 0 && c.builds.every((b) => b > c.restore), `${job}: a build runs before the restore`);
        assert.equal(c.path, '${{ runner.temp }}/build-cache');
        for (const b of c.builds) assert.equal(steps(job)[b]!.env?.['CACHE_DIR'], c.path, `${job} step ${b}`);
        // Keyed on the Go version build.sh uses and on go.sum, with restore keys for a partial hit.
        const go = steps(job).findIndex((s) => s.id === 'go');
        assert.ok(go >= 0 && go < c.restore && steps(job)[go]!.run === 'echo "version=$(./build.sh go-version)" >> "$GITHUB_OUTPUT"', job);
        assert.match(c.key, /^build-cache-\$\{\{ runner\.os \}\}-go\$\{\{ steps\.go\.outputs\.version \}\}-\$\{\{ hashFiles\('go\.sum'\) \}\}-\$\{\{ github\.run_id \}\}$/);
        const restoreKeys = (steps(job)[c.restore]!.with?.['restore-keys'] ?? '').trim().split('\n');
        assert.deepEqual(restoreKeys, [c.key.replace('${{ github.run_id }}', ''), c.key.replace("${{ hashFiles('go.sum') }}-${{ github.run_id }}", '')]);
      }
    });

    it('only a push to main saves the cache, after the builds: no pull request, fork or tag writes what a release restores', () => {
      const image = cached('image');
      assert.ok(image.save > Math.max(...image.builds));
      const save = steps('image')[image.save]!;
      assert.equal((save as { if?: string }).if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
      assert.equal(save.with?.['key'], image.key);
      assert.equal(save.with?.['path'], image.path);
      for (const job of ['multiarch', 'release']) {
        assert.equal(cached(job).save, -1, `${job} saves a cache`);
        for (const b of cached(job).builds) assert.equal(steps(job)[b]!.env?.['CACHE_EXPORT'], 'false', `${job} exports a cache it never saves`);
      }
      // The combined action saves in its post step on any event: it must not be used.
      assert.ok(!Object.values(workflow.jobs).some((j) => j.steps.some((s) => /^actions\/cache@/.test(s.uses ?? ''))));
    });

    it('least privilege: nothing at the top, contents: read per job, packages: write for the push alone', () => {
      assert.deepEqual(workflow.permissions, {});
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const expected = name === 'release' ? { contents: 'read', packages: 'write' } : { contents: 'read' };
        assert.deepEqual(job.permissions, expected, name);
        for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) assert.equal(step.with?.['persist-credentials'], false, name);
      }
    });

    it('actions pinned to exact releases; no ${{ }} inside a run: block; superseded runs cancelled, tags never', () => {
      const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
      assert.ok(uses.length >= 8);
      for (const u of uses) assert.match(u, /^[\w-]+\/[\w-]+(\/[\w-]+)?@v\d+\.\d+\.\d+$/);
      for (const job of Object.keys(workflow.jobs)) for (const run of runs(job)) assert.doesNotMatch(run, /\$\{\{/, job);
      assert.equal(workflow.concurrency['group'], '${{ github.workflow }}-${{ github.ref }}');
      assert.equal(workflow.concurrency['cancel-in-progress'], "${{ !startsWith(github.ref, 'refs/tags/') }}");
    });
  });

  it('actionlint is not a rubber stamp: a shellcheck finding in a run: block fails it', async () => {
    const { dir } = await generate({ module: 'example.com/acme/svc', ci: 'github' });
    const file = path.join(dir, '.github/workflows/ci.yml');
    writeFileSync(file, read(dir, '.github/workflows/ci.yml').replace('- run: go vet ./...', '- run: cd $HOME/x && go vet ./...'));
    const linted = await actionlint(dir);
    assert.notEqual(linted.exitCode, 0);
    assert.match(linted.all, /SC2086/);
    cleanup(dir);
  });
});

describe('a preset and the CI workflow', function () {
  this.timeout(60_000);
  it('an overlay replaces the workflow, and a lock fixes --ci', async () => {
    const preset = tempDir('preset-');
    mkdirSync(path.join(preset, 'templates/ci'), { recursive: true });
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ locked: { ci: 'github' } }));
    writeFileSync(path.join(preset, 'templates/ci/github.yml.ejs'), 'name: acme-ci <%- name %>\n');
    const { dir } = await generate({ module: 'example.com/acme/svc', preset });
    assert.equal(read(dir, '.github/workflows/ci.yml'), 'name: acme-ci svc\n');
    cleanup(dir);
    cleanup(preset);
  });
});
