// `generator-dockergo update`, through the packed bin with real git: a platform team publishes
// preset v2 (or a new generator version) and each service takes it without losing its own edits.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { engines } from '../support/engines/engines.js';
import { goSources, shopModule } from '../support/modules.js';
import { expectRefused, packedPackage } from '../support/packed.js';
import { cleanup, listFiles, read, snapshot, tempDir } from '../support/project.js';
import { freePort, waitForHttp } from '../support/service.js';
import { GIT_ENV } from '../support/users.js';
import { basesOf, logOnce } from '../support/variants.js';

const CONFLICT_EXIT = 3;
const DIGEST_V1 = `sha256:${'1'.repeat(64)}`;
const DIGEST_V2 = `sha256:${'2'.repeat(64)}`;

let bin = '';

async function run(cwd: string, args: string[], options: Options = {}, command = bin) {
  const result = await execa(command, args, { cwd, reject: false, all: true, stdin: 'ignore', ...options } as Options);
  return { ...result, all: String(result.all), stderr: String(result.stderr) };
}

async function git(dir: string, args: string[]): Promise<string> {
  return (await execa('git', args, { cwd: dir, env: GIT_ENV })).stdout;
}

async function commit(dir: string, message: string): Promise<void> {
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '--quiet', '--allow-empty', '-m', message]);
}

/** The platform team's preset, installed as an npm package beside the services. */
const PRESET_PACKAGE = '@acme/service-preset';

/**
 * The preset package: v1 adds deploy/old.yaml; v2 moves the runtime digest, adds a label and
 * deploy/new.yaml, drops old.yaml.
 */
function writePreset(dir: string, version: 1 | 2): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'templates/deploy'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: PRESET_PACKAGE, version: `${version}.0.0` }));
  const labels: Record<string, string> = { 'com.acme.team': 'payments', ...(version === 2 ? { 'com.acme.tier': 'gold' } : {}) };
  writeFileSync(
    path.join(dir, 'preset.json'),
    JSON.stringify({ version: `${version}.0.0`, images: { runtime: `alpine:3.24@${version === 1 ? DIGEST_V1 : DIGEST_V2}` }, labels }, null, 2),
  );
  const file = version === 1 ? 'old.yaml' : 'new.yaml';
  writeFileSync(path.join(dir, `templates/deploy/${file}.ejs`), `# <%- name %> (preset v${version})\nname: <%- name %>\nport: <%- port %>\n`);
}

/** A service generated with preset v1, committed, then edited and committed: the builder stage and main.go gain a line each. */
async function editedService(): Promise<{ dir: string; preset: string }> {
  const parent = tempDir('update-');
  // Installed where npm puts it (node_modules/ above the services): a stored package name is
  // trusted like an installed package, a stored folder outside the project is not.
  const preset = path.join(parent, 'node_modules', PRESET_PACKAGE);
  const dir = path.join(parent, 'orders');
  writePreset(preset, 1);
  const made = await run(parent, ['--yes', '--skip-install', '--module', 'example.com/acme/orders', '--go-version', '1.26.8', '--preset', PRESET_PACKAGE, 'orders']);
  assert.equal(made.exitCode, 0, made.all);
  await git(dir, ['init', '--quiet']);
  await commit(dir, 'generated');
  writeFileSync(path.join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/^WORKDIR \/src$/m, 'WORKDIR /src\nRUN echo "our builder edit" > /tmp/edit'));
  writeFileSync(
    path.join(dir, 'main.go'),
    read(dir, 'main.go').replace(/^(\tmux\.HandleFunc\("GET \/healthz", a\.healthz\))$/m, '$1\n\tmux.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello from our route\\n")) })'),
  );
  await commit(dir, 'our edits');
  return { dir, preset };
}

describe('generator-dockergo update', function () {
  this.timeout(600_000);
  before(async () => {
    ({ bin } = await packedPackage());
  });

  describe('preset v1 → v2 on an edited service', () => {
    let dir = '';
    let output = '';
    before(async () => {
      const service = await editedService();
      dir = service.dir;
      writePreset(service.preset, 2);
      const update = await run(dir, ['update']);
      assert.equal(update.exitCode, 0, update.all);
      output = update.all;
    });
    after(() => cleanup(path.dirname(dir)));

    it('keeps both edits, and applies the new digest and label', () => {
      const dockerfile = read(dir, 'Dockerfile');
      assert.match(dockerfile, /^RUN echo "our builder edit" > \/tmp\/edit$/m);
      assert.match(dockerfile, new RegExp(`^ARG RUNTIME_IMAGE=alpine:3\\.24@${DIGEST_V2}$`, 'm'));
      assert.doesNotMatch(dockerfile, new RegExp(DIGEST_V1));
      assert.match(dockerfile, /com\.acme\.tier="gold"/);
      assert.match(read(dir, 'main.go'), /GET \/hello/);
    });

    it('adds the new overlay file and removes the one v2 dropped', () => {
      assert.match(read(dir, 'deploy/new.yaml'), /^# orders \(preset v2\)$/m);
      assert.ok(!listFiles(dir).includes('deploy/old.yaml'));
    });

    it('prints one line per file and a summary, and records the versions', () => {
      assert.match(output, /^\s+merged Dockerfile$/m);
      // The preset does not change main.go: the route is the only change, and it stays.
      assert.match(output, /^\s+unchanged main\.go$/m);
      assert.match(output, /^\s+added deploy\/new\.yaml$/m);
      assert.match(output, /^\s+removed deploy\/old\.yaml$/m);
      assert.match(output, /^update: .*merged.*\(generator 0\.1\.0 → 0\.1\.0, preset .* 1\.0\.0 → 2\.0\.0\)$/m);
      const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'];
      assert.equal(stored.presetVersion, '2.0.0');
      assert.ok(stored.files['deploy/new.yaml'] && !stored.files['deploy/old.yaml']);
    });

    it('right after, update has nothing to do (idempotent)', async () => {
      await commit(dir, 'updated');
      const again = await run(dir, ['update']);
      assert.equal(again.exitCode, 0, again.all);
      assert.match(again.all, /^update: up to date, nothing to do/m);
      assert.equal(await git(dir, ['status', '--porcelain']), '');
    });

    it('the updated service builds, tests and runs on Docker Engine', async () => {
      const e = await engines();
      await e.useEngine('today');
      const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
      for (const line of await e.prepareBases(refs)) logOnce(line);
      const env = e.env({ VERSION: 'update', ...pinned });
      for (const step of ['build', 'test']) {
        const result = await execa('./build.sh', [step], { cwd: dir, env, all: true, reject: false });
        assert.equal(result.exitCode, 0, `./build.sh ${step}:\n${String(result.all).slice(-3000)}`);
      }
      const port = await freePort();
      const docker = (args: string[]) => execa('docker', args, { env: e.env(), all: true, reject: false });
      const id = (await docker(['run', '-d', '--rm', '-p', `127.0.0.1:${port}:8080`, 'orders:update'])).stdout.trim();
      try {
        const reply = await waitForHttp(`http://127.0.0.1:${port}/hello`, 30_000);
        assert.equal(reply.body, 'hello from our route\n');
        const labels = JSON.parse((await docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', 'orders:update'])).stdout) as Record<string, string>;
        assert.equal(labels['com.acme.tier'], 'gold');
      } finally {
        await docker(['rm', '-f', id]);
      }
    });
  });

  it('a conflicting edit: markers, exit 3, the file listed, every other file updated', async () => {
    const { dir, preset } = await editedService();
    // The same line the preset changes: the runtime image.
    writeFileSync(path.join(dir, 'Dockerfile'), read(dir, 'Dockerfile').replace(/^ARG RUNTIME_IMAGE=.*$/m, 'ARG RUNTIME_IMAGE=registry.acme.internal/alpine:3.24'));
    await commit(dir, 'our runtime');
    writePreset(preset, 2);
    const update = await run(dir, ['update']);
    assert.equal(update.exitCode, CONFLICT_EXIT, update.all);
    assert.match(update.all, /^\s+conflict Dockerfile \(1 conflicting hunk\)$/m);
    assert.match(update.all, /^update: conflicts in Dockerfile: resolve the <<<<<<< yours/m);
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /^<<<<<<< yours\nARG RUNTIME_IMAGE=registry\.acme\.internal\/alpine:3\.24\n=======\nARG RUNTIME_IMAGE=alpine:3\.24@sha256:2{64}\n>>>>>>> generator$/m);
    // The non-overlapping change in the same file merged, and the other files moved on.
    assert.match(dockerfile, /com\.acme\.tier="gold"/);
    assert.match(dockerfile, /our builder edit/);
    assert.ok(listFiles(dir).includes('deploy/new.yaml'));
    assert.ok(!listFiles(dir).includes('deploy/old.yaml'));
    cleanup(path.dirname(dir));
  });

  it('--dry-run prints a unified diff of every change and writes nothing, twice alike', async () => {
    const { dir, preset } = await editedService();
    writePreset(preset, 2);
    const before = snapshot(dir);
    const first = await run(dir, ['update', '--dry-run']);
    const second = await run(dir, ['update', '--dry-run']);
    assert.equal(first.exitCode, 0, first.all);
    assert.match(first.all, /^--- a\/Dockerfile$\n^\+\+\+ b\/Dockerfile$/m);
    assert.match(first.all, new RegExp(`^-ARG RUNTIME_IMAGE=alpine:3\\.24@${DIGEST_V1}$\\n^\\+ARG RUNTIME_IMAGE=alpine:3\\.24@${DIGEST_V2}$`, 'm'));
    assert.match(first.all, /^\+\+\+ b\/deploy\/new\.yaml$/m);
    assert.match(first.all, /^update: dry run, nothing written: /m);
    assert.equal(second.all, first.all);
    assert.deepEqual(snapshot(dir), before);
    cleanup(path.dirname(dir));
  });

  it('update --port 9090 re-renders with the changed answer, through the same merge', async () => {
    const { dir } = await editedService();
    const update = await run(dir, ['update', '--port', '9090']);
    assert.equal(update.exitCode, 0, update.all);
    assert.match(read(dir, 'Dockerfile'), /^EXPOSE 9090$/m);
    assert.match(read(dir, 'Dockerfile'), /our builder edit/);
    assert.match(read(dir, 'main.go'), /defaultPort = 9090$/m);
    assert.match(read(dir, 'main.go'), /GET \/hello/);
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].port, 9090);
    cleanup(path.dirname(dir));
  });

  it('update --preset moves the project to another preset, and records it', async () => {
    const { dir } = await editedService();
    const other = path.join(path.dirname(dir), 'other-preset');
    mkdirSync(other);
    writeFileSync(path.join(other, 'preset.json'), JSON.stringify({ version: '7.0.0', labels: { 'com.other.owner': 'search' } }));
    const update = await run(dir, ['update', '--preset', other]);
    assert.equal(update.exitCode, 0, update.all);
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /com\.other\.owner="search"/);
    assert.doesNotMatch(dockerfile, /com\.acme\.team|sha256:1{64}/);
    assert.match(dockerfile, /our builder edit/);
    assert.ok(!listFiles(dir).includes('deploy/old.yaml'), 'the old preset\'s overlay file goes with it');
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'];
    assert.equal(stored.preset, '../other-preset');
    assert.equal(stored.presetVersion, '7.0.0');
    cleanup(path.dirname(dir));
  });

  it('a generator upgrade: an untouched project becomes byte for byte what the new version generates', async () => {
    // The "new version": a second install of the same tarball with a changed template and version,
    // never the installed package the other tests use.
    const { tarball } = await packedPackage();
    const next = tempDir('dockergo-next-');
    await execa('npm', ['install', '--prefix', next, '--no-audit', '--no-fund', '--omit=dev', tarball]);
    const pkg = path.join(next, 'node_modules/generator-dockergo');
    const template = path.join(pkg, 'templates/Dockerfile.ejs');
    writeFileSync(template, readFileSync(template, 'utf8').replace('HEALTHCHECK --interval=10s', 'HEALTHCHECK --interval=15s'));
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: '0.2.0' }, null, 2));
    const nextBin = path.join(next, 'node_modules/.bin/generator-dockergo');

    const flags = ['--yes', '--skip-install', '--module', 'example.com/acme/upgrade', '--go-version', '1.26.8', '--config', 'conf/app.yaml'];
    const parent = tempDir('update-');
    const dir = path.join(parent, 'old');
    assert.equal((await run(parent, [...flags, 'old'])).exitCode, 0);
    await git(dir, ['init', '--quiet']);
    await commit(dir, 'generated by 0.1.0');
    const update = await run(dir, ['update'], {}, nextBin);
    assert.equal(update.exitCode, 0, update.all);
    assert.match(update.all, /^\s+updated Dockerfile$/m);
    assert.match(update.all, /\(generator 0\.1\.0 → 0\.2\.0\)$/m);

    assert.equal((await run(parent, [...flags, 'fresh'], {}, nextBin)).exitCode, 0);
    const fresh = path.join(parent, 'fresh');
    const files = (d: string) => Object.fromEntries(listFiles(d).filter((f) => !f.startsWith('.git/')).map((f) => [f, read(d, f)]));
    assert.deepEqual(files(dir), files(fresh));
    assert.match(read(dir, 'Dockerfile'), /--interval=15s/);

    // Now the project is 0.2.0's: the older bin refuses to take it back.
    await commit(dir, 'updated to 0.2.0');
    const older = await run(dir, ['update']);
    assert.equal(older.exitCode, 1);
    assert.match(older.stderr, /^generator-dockergo: .*\.yo-rc\.json: written by generator-dockergo 0\.2\.0, newer than this one \(0\.1\.0\): install 0\.2\.0 or later/);
    cleanup(parent);
    cleanup(next);
  });

  it('dockergo:docker projects update too, and never touch .go, go.mod or go.sum', async () => {
    const dir = shopModule();
    await git(dir, ['init', '--quiet']);
    await commit(dir, 'the module');
    const made = await run(dir, ['docker', '--yes', '--main', './cmd/api']);
    assert.equal(made.exitCode, 0, made.all);
    await commit(dir, 'container files');
    const sources = goSources(dir);
    const update = await run(dir, ['update', '--port', '9191']);
    assert.equal(update.exitCode, 0, update.all);
    assert.match(update.all, /^\s+updated Dockerfile$/m);
    assert.match(read(dir, 'Dockerfile'), /^ENV PORT=9191$/m);
    assert.deepEqual(goSources(dir), sources);
    assert.doesNotMatch(update.all, /\.go$|go\.mod|go\.sum/m);
    cleanup(dir);
  });

  describe('bad input: one line, exit 1, nothing written', () => {
    const refusedUpdate = (dir: string, args: string[], line: RegExp) => expectRefused(bin, dir, ['update', ...args], line);

    it('not a generated project', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'main.go'), 'package main\n');
      await refusedUpdate(dir, [], /not a project generator-dockergo made \(no \.yo-rc\.json\)/);
      writeFileSync(path.join(dir, '.yo-rc.json'), '{"generator-other": {}}');
      await refusedUpdate(dir, [], /holds no generator-dockergo answers/);
      cleanup(dir);
    });

    it('a .yo-rc.json from an unknown, newer generator version', async () => {
      const { dir } = await editedService();
      const yoRc = JSON.parse(read(dir, '.yo-rc.json'));
      yoRc['generator-dockergo'].generatorVersion = '9.0.0';
      writeFileSync(path.join(dir, '.yo-rc.json'), JSON.stringify(yoRc));
      await commit(dir, 'from the future');
      await refusedUpdate(dir, [], /written by generator-dockergo 9\.0\.0, newer than this one/);
      cleanup(path.dirname(dir));
    });

    it('a preset that no longer loads', async () => {
      const { dir, preset } = await editedService();
      rmSync(preset, { recursive: true });
      await refusedUpdate(dir, [], /\.yo-rc\.json preset: .* is not a folder/);
      cleanup(path.dirname(dir));
    });

    it('a dirty merge base: uncommitted edits in a file the update would change', async () => {
      const { dir, preset } = await editedService();
      writePreset(preset, 2);
      writeFileSync(path.join(dir, 'Dockerfile'), `${read(dir, 'Dockerfile')}# not committed\n`);
      await refusedUpdate(dir, [], /uncommitted changes in Dockerfile: commit or stash them first/);
      cleanup(path.dirname(dir));
    });
  });

  it('falls back cleanly outside git: untouched files update, an edited one whose output changed conflicts whole', async () => {
    const parent = tempDir('update-');
    const made = await run(parent, ['--yes', '--skip-install', '--module', 'example.com/acme/nogit', '--go-version', '1.26.8', 'svc']);
    assert.equal(made.exitCode, 0, made.all);
    const dir = path.join(parent, 'svc');
    writeFileSync(path.join(dir, 'Dockerfile'), `${read(dir, 'Dockerfile')}# ours\n`);
    writeFileSync(path.join(dir, 'Makefile'), `${read(dir, 'Makefile')}# ours too\n`);
    const update = await run(dir, ['update', '--port', '9092']);
    assert.equal(update.exitCode, CONFLICT_EXIT, update.all);
    assert.match(update.all, /^\s+conflict Dockerfile \(\d+ conflicting hunks?; no merge base: /m);
    assert.match(update.all, /^\s+updated main\.go$/m);
    // The Makefile's output did not change: the edit is kept without a base.
    assert.match(update.all, /^\s+unchanged Makefile$/m);
    assert.match(read(dir, 'Makefile'), /# ours too$/m);
    assert.match(read(dir, 'main.go'), /defaultPort = 9092$/m);
    cleanup(parent);
  });
});
