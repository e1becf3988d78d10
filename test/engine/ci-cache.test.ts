// CACHE_DIR: ./build.sh carries BuildKit's caches from one builder to the next, as a CI runner
// needs: each job starts a builder with an empty state folder, here a new buildkitd (the newest
// BuildKit) behind a remote buildx builder, as docker/setup-buildx-action gives CI one.
// What the tests read is the Go build cache itself: the restored build must add entries only for
// what it compiled, and the control (a builder that starts cold) adds one for every package.
// Then the cases that must not go wrong: a go.sum change, another project's cache, a damaged one,
// the netrc secret (a marker that must be found nowhere, beside markers that must be found), and
// the engines that cannot export a cache, which say so in one line and build.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { engines, type Engines } from '../support/engines/engines.js';
import { bytesBelow, cleanup, findMarker, generate, ok, read, tempDir } from '../support/project.js';
import { basesOf, logOnce } from '../support/variants.js';

const NAME = 'orders';

// Third-party modules the binary links, so a cold build compiles a dependency tree beside the
// standard library: small on purpose (CI's time goes to compiles), while the benchmark's CI-cache
// section measures the same on oauth2-proxy, a real program of 900 compiles.
const DEPS_GO = `package main

import (
	"github.com/google/uuid"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// instanceID and title link two third-party modules.
var (
	instanceID = uuid.NewString()
	title      = cases.Title(language.English)
)
`;

// The go.sum change: one more module.
const MORE_DEPS_GO = `package main

import "golang.org/x/sync/errgroup"

// group links one more module.
var group errgroup.Group
`;

let e: Engines;

/** A generated project, its base images made resolvable, with the overrides build.sh passes on. */
async function project(module: string, options: Record<string, unknown> = {}, deps: string[] = []): Promise<{ dir: string; baseArgs: Record<string, string> }> {
  const { dir } = await generate({ module, base: 'scratch', ...options });
  deps.forEach((source, i) => writeFileSync(path.join(dir, `deps${i}.go`), source));
  if (deps.length > 0) await execa('go', ['mod', 'tidy'], { cwd: dir });
  const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
  await e.prepareBases(refs);
  return { dir, baseArgs: pinned };
}

/** ./build.sh ARGS as CI types it; never rejects. */
function buildSh(p: { dir: string; baseArgs: Record<string, string> }, args: string[], extra: Record<string, string>) {
  return execa('./build.sh', args, { cwd: p.dir, env: e.env({ ...p.baseArgs, ...extra }), all: true, reject: false });
}

/** The action entries of the exported Go build cache: one per compile (or vet, or test) Go ran. */
async function actions(cacheDir: string): Promise<Set<string>> {
  const list = await execa('tar', ['-tf', path.join(cacheDir, 'mounts/gobuild.tar')]);
  return new Set(list.stdout.split('\n').filter((f) => f.endsWith('-a')));
}

/** The module versions of the exported module cache (its download folder's .zip files). */
async function modules(cacheDir: string): Promise<string[]> {
  const list = await execa('tar', ['-tf', path.join(cacheDir, 'mounts/gomod.tar')]);
  const zips = list.stdout.split('\n').map((f) => f.replace(/^\.\//, '')).filter((f) => f.startsWith('cache/download/') && f.endsWith('.zip'));
  return zips.map((f) => f.slice('cache/download/'.length, -'.zip'.length));
}

const added = (after: Set<string>, before: Set<string>): string[] => [...after].filter((a) => !before.has(a));

/** What `IMAGE -version` prints. */
async function versionOf(image: string): Promise<string> {
  return (await ok(execa('docker', ['run', '--rm', image, '-version'], { env: e.env(), all: true, reject: false }), `docker run ${image}`)).stdout.trim();
}


/** A line a user would take for trouble. */
const ALARMING = /error|fail|warn|panic|denied/i;

describe('CACHE_DIR=DIR ./build.sh: the caches survive from one builder to the next', function () {
  this.timeout(1_200_000);
  let shop: { dir: string; baseArgs: Record<string, string> };
  let cacheDir: string;
  let cold: Set<string>;
  const scratch = tempDir('dockergo-cache-');

  before(async () => {
    e = await engines();
    await e.useEngine('today');
    shop = await project(`example.com/acme/${NAME}`, {}, [DEPS_GO]);
    cacheDir = path.join(scratch, 'cache');
  });
  after(() => {
    cleanup(shop.dir);
    cleanup(scratch);
  });

  /** ./build.sh ARGS on a builder of its own, new and empty, removed after. */
  async function onNewBuilder(p: typeof shop, args: string[], extra: Record<string, string>) {
    const builder = await e.newBuilder();
    try {
      const started = Date.now();
      const run = await buildSh(p, args, { BUILDX_BUILDER: builder.name, ...extra });
      return { ...run, seconds: (Date.now() - started) / 1000 };
    } finally {
      await builder.stop();
    }
  }

  it('a cold build on a new builder exports the layer cache and both Go caches, with a manifest of their checksums', async () => {
    const built = await ok(onNewBuilder(shop, ['build'], { CACHE_DIR: cacheDir, VERSION: 'v1.0.0-cold' }), 'cold build');
    assert.match(built.stderr, /^build\.sh: no cache in .* yet: a cold build$/m);
    assert.match(built.stderr, /^build\.sh: cache exported to /m);
    assert.ok(existsSync(path.join(cacheDir, 'layers/index.json')), 'no layer cache');
    const manifest = read(cacheDir, 'manifest').split('\n');
    assert.equal(manifest[0], 'generator-dockergo cache 1');
    for (const file of ['mounts/gomod.tar', 'mounts/gobuild.tar', 'layers/index.json']) assert.ok(manifest.some((l) => /^\d+ \d+ /.test(l) && l.endsWith(` ${file}`)), `${file} not in the manifest`);
    assert.deepEqual(readdirSync(cacheDir).sort(), ['layers', 'manifest', 'mounts'], 'a staging folder was left behind');
    cold = await actions(cacheDir);
    const mods = await modules(cacheDir);
    assert.ok(mods.some((m) => m.startsWith('golang.org/x/text/@v/')), `x/text is not in the module cache: ${mods.join(', ')}`);
    // The standard library and every dependency's packages.
    assert.ok(cold.size > 100, `only ${cold.size} compiles in a cold build`);
    logOnce(`cold build on a new builder: ${built.seconds.toFixed(1)} s, ${cold.size} compiles cached, ${mods.length} modules; the cache: ${(bytesBelow(cacheDir) / 1e6).toFixed(0)} MB`);
  });

  it('a new builder with an empty state folder imports it: after a .go edit only the edited package compiles, with the new version stamped', async () => {
    appendFileSync(path.join(shop.dir, 'main.go'), '\n// edited: a new line, a new hash for package main\n');
    const built = await ok(onNewBuilder(shop, ['build'], { CACHE_DIR: cacheDir, VERSION: 'v1.0.1-restored' }), 'restored build');
    assert.match(built.stderr, /^build\.sh: cache imported from /m);
    const compiled = added(await actions(cacheDir), cold);
    // package main, and the vet and link steps around it: a handful, not the tree.
    assert.ok(compiled.length > 0 && compiled.length <= 6, `${compiled.length} new compiles after a one-file edit`);
    // The stamp is part of the link's key: a cached binary would still say v1.0.0-cold.
    assert.equal(await versionOf(`${NAME}:v1.0.1-restored`), `${NAME} v1.0.1-restored`);
    logOnce(`restored build on a new builder: ${built.seconds.toFixed(1)} s, ${compiled.length} new compiles`);
  });

  it('control: the same edit on a new builder with an empty CACHE_DIR compiles the whole tree again', async () => {
    appendFileSync(path.join(shop.dir, 'main.go'), '// edited again\n');
    const empty = path.join(scratch, 'empty');
    mkdirSync(empty);
    const built = await ok(onNewBuilder(shop, ['build'], { CACHE_DIR: empty, VERSION: 'v1.0.2-control' }), 'control build');
    assert.match(built.stderr, /no cache in .* yet: a cold build/);
    const compiled = (await actions(empty)).size;
    assert.ok(compiled > 100, `the control compiled only ${compiled} packages`);
    logOnce(`control, cold on a new builder: ${built.seconds.toFixed(1)} s, ${compiled} compiles`);
  });

  it('./build.sh test on a new builder imports too, and the next test run compiles only what changed', async () => {
    // go vet and go test build without the image's -trimpath and tags: the first test run
    // compiles the tree once for them, and its export carries that too.
    const first = await ok(onNewBuilder(shop, ['test'], { CACHE_DIR: cacheDir }), 'restored test');
    assert.match(first.stderr, /cache imported from/);
    const before = await actions(cacheDir);
    appendFileSync(path.join(shop.dir, 'main.go'), '// edited before a test run\n');
    const tested = await ok(onNewBuilder(shop, ['test'], { CACHE_DIR: cacheDir }), 'second restored test');
    const compiled = added(await actions(cacheDir), before);
    // go vet, and go test's compile and link of package main and its test: not the tree.
    assert.ok(compiled.length > 0 && compiled.length <= 20, `${compiled.length} new entries after go vet and go test`);
    logOnce(`restored test on a new builder: ${tested.seconds.toFixed(1)} s, ${compiled.length} new entries`);
  });

  it('a go.sum change is a partial hit: only the new module is downloaded and compiled, and the image is right', async () => {
    writeFileSync(path.join(shop.dir, 'deps1.go'), MORE_DEPS_GO);
    await execa('go', ['mod', 'tidy'], { cwd: shop.dir });
    const before = await actions(cacheDir);
    const mods = await modules(cacheDir);
    const built = await ok(onNewBuilder(shop, ['build'], { CACHE_DIR: cacheDir, VERSION: 'v1.1.0' }), 'build after a go.sum change');
    assert.match(built.stderr, /cache imported from/);
    const after = await modules(cacheDir);
    assert.deepEqual(added(new Set(after), new Set(mods)).filter((m) => !m.startsWith('golang.org/x/sync/')), [], 'modules other than the new one were downloaded');
    assert.ok(after.some((m) => m.startsWith('golang.org/x/sync/@v/')), 'the new module is not in the exported module cache');
    const compiled = added(await actions(cacheDir), before);
    assert.ok(compiled.length > 0 && compiled.length < 40, `${compiled.length} new compiles after adding one small module`);
    assert.equal(await versionOf(`${NAME}:v1.1.0`), `${NAME} v1.1.0`);
  });

  it("another project's cache gives a correct build of this one, and says nothing alarming", async () => {
    const other = await project('example.com/acme/billing');
    try {
      const built = await ok(onNewBuilder(other, ['build'], { CACHE_DIR: cacheDir, VERSION: 'v2.0.0' }), "build on another project's cache");
      assert.match(built.stderr, /cache imported from/);
      assert.doesNotMatch(built.stderr.split('\n').filter((l) => l.startsWith('build.sh:')).join('\n'), ALARMING);
      assert.equal(await versionOf('billing:v2.0.0'), 'billing v2.0.0');
    } finally {
      cleanup(other.dir);
    }
  });

  it('a damaged cache (one byte changed, or a manifest gone) is a cold build that replaces it, with one calm line', async () => {
    const other = await project('example.com/acme/stock');
    try {
      const damaged = path.join(scratch, 'damaged');
      cpSync(cacheDir, damaged, { recursive: true });
      const tar = path.join(damaged, 'mounts/gomod.tar');
      const bytes = readFileSync(tar);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = bytes[middle]! ^ 0xff;
      writeFileSync(tar, bytes);
      const built = await ok(onNewBuilder(other, ['build'], { CACHE_DIR: damaged, VERSION: 'v3.0.0' }), 'build on a damaged cache');
      const said = built.stderr.split('\n').filter((l) => l.startsWith('build.sh:'));
      assert.ok(said.includes(`build.sh: the cache in ${damaged} does not match its manifest: a cold build`), said.join('\n'));
      assert.doesNotMatch(said.filter((l) => !l.includes('does not match')).join('\n'), ALARMING);
      assert.equal(await versionOf('stock:v3.0.0'), 'stock v3.0.0');
      // The export replaced it with a good one.
      const listed = read(damaged, 'manifest').split('\n').slice(1).filter(Boolean);
      const sums = await execa('cksum', listed.map((l) => l.split(' ')[2]!), { cwd: damaged });
      assert.deepEqual(sums.stdout.split('\n'), listed, 'the new manifest');

      writeFileSync(path.join(damaged, 'manifest'), 'not a manifest\n');
      const again = await ok(onNewBuilder(other, ['build'], { CACHE_DIR: damaged, VERSION: 'v3.0.1' }), 'build on a cache without its manifest');
      assert.match(again.stderr, /does not match its manifest: a cold build/);
      assert.equal(await versionOf('stock:v3.0.1'), 'stock v3.0.1');
    } finally {
      cleanup(other.dir);
    }
  });

  it('CACHE_EXPORT=false imports and leaves DIR as it was', async () => {
    const before = read(cacheDir, 'manifest');
    const built = await ok(onNewBuilder(shop, ['build'], { CACHE_DIR: cacheDir, CACHE_EXPORT: 'false', VERSION: 'v1.1.1' }), 'import-only build');
    assert.match(built.stderr, /cache imported from/);
    assert.doesNotMatch(built.stderr, /cache exported/);
    assert.equal(read(cacheDir, 'manifest'), before);
    assert.deepEqual(readdirSync(cacheDir).sort(), ['layers', 'manifest', 'mounts']);
  });

  describe('the netrc secret', () => {
    const PASSWORD = `netrc-marker-${process.pid}-never-cached`;
    const SOURCE_MARKER = `source-marker-${process.pid}-always-cached`;
    let secret: { dir: string; baseArgs: Record<string, string> };
    let netrc: string;
    before(async () => {
      secret = await project('example.com/acme/private', { goprivate: 'git.acme.example/*' });
      netrc = path.join(scratch, 'netrc');
      writeFileSync(netrc, `machine git.acme.example login ci password ${PASSWORD}\n`, { mode: 0o600 });
      // A marker that belongs in the cache: a string in the program, in its layers and its compiled package.
      writeFileSync(path.join(secret.dir, 'marker.go'), `package main\n\n// marker is in the binary.\nvar marker = "${SOURCE_MARKER}"\n\nfunc init() { _ = marker }\n`);
    });
    after(() => cleanup(secret.dir));

    it('is in no file of the export, layer blobs decompressed, while a marker in the source is', async () => {
      const dir = path.join(scratch, 'secret-cache');
      await ok(onNewBuilder(secret, ['build'], { CACHE_DIR: dir, NETRC_FILE: netrc }), 'build with the netrc secret');
      assert.deepEqual(findMarker(dir, PASSWORD), []);
      const found = findMarker(dir, SOURCE_MARKER);
      assert.ok(found.includes('mounts/gobuild.tar'), `the source marker is not in the build cache: ${found.join(', ')}`);
      assert.ok(found.some((f) => f.startsWith('layers/blobs/')), `the source marker is in no layer: ${found.join(', ')}`);
    });

    it('control: a Dockerfile that copies the secret into a cache mount is caught by the same search', async () => {
      const dockerfile = path.join(secret.dir, 'Dockerfile');
      const original = readFileSync(dockerfile, 'utf8');
      const leaky = original.replace('    if ! go mod download', '    mkdir -p /go/pkg/mod/cache && cp /root/.netrc /go/pkg/mod/cache/leaked; if ! go mod download');
      assert.notEqual(leaky, original);
      writeFileSync(dockerfile, leaky);
      try {
        const dir = path.join(scratch, 'leaky-cache');
        await ok(onNewBuilder(secret, ['build'], { CACHE_DIR: dir, NETRC_FILE: netrc }), 'leaky build');
        assert.deepEqual(findMarker(dir, PASSWORD), ['mounts/gomod.tar']);
      } finally {
        writeFileSync(dockerfile, original);
      }
    });
  });

  describe('engines', () => {
    let small: { dir: string; baseArgs: Record<string, string> };
    before(async () => {
      small = await project('example.com/acme/small');
    });
    after(() => cleanup(small.dir));

    it("today's Docker Engine, docker driver (containerd image store): exports, then imports", async () => {
      const dir = path.join(scratch, 'docker-driver');
      const first = await ok(buildSh(small, ['build'], { CACHE_DIR: dir, BUILDX_BUILDER: 'default' }), 'docker driver build');
      assert.match(first.stderr, /cache exported to/);
      appendFileSync(path.join(small.dir, 'main.go'), '// edited\n');
      const second = await ok(buildSh(small, ['build'], { CACHE_DIR: dir, BUILDX_BUILDER: 'default', VERSION: 'v0.2.0' }), 'docker driver rebuild');
      assert.match(second.stderr, /cache imported from/);
      assert.equal(await versionOf('small:v0.2.0'), 'small v0.2.0');
    });

    it('./build.sh artifact, and a multi-platform push, import and export it too', async () => {
      const dir = path.join(scratch, 'artifact-push');
      const artifact = await ok(onNewBuilder(small, ['artifact'], { CACHE_DIR: dir }), 'artifact with CACHE_DIR');
      assert.match(artifact.stderr, /cache exported to/);
      assert.ok(existsSync(path.join(small.dir, 'bin/small')), 'no bin/small');
      const before = await actions(dir);
      const { user, password } = e.secure.auth!;
      await ok(execa('docker', ['login', '--username', user, '--password-stdin', e.secure.host], { env: e.env(), input: password, all: true, reject: false }), 'login');
      const pushed = await ok(onNewBuilder(small, ['push'], { CACHE_DIR: dir, PLATFORMS: 'linux/amd64,linux/arm64', REGISTRY: `${e.secure.host}/cache`, SBOM: 'false' }), 'multi-platform push with CACHE_DIR');
      assert.match(pushed.stderr, /cache imported from/);
      assert.match(pushed.stderr, /cache exported to/);
      // The amd64 compiles came from the artifact's cache; arm64's are new.
      const compiled = added(await actions(dir), before);
      assert.ok(compiled.length > 100, `${compiled.length} new compiles: arm64 should have compiled the standard library`);
      assert.ok(compiled.length < before.size, `${compiled.length} new compiles against ${before.size}: amd64 was compiled again`);
    });

    it('podman says in one line that it cannot, and builds', async () => {
      const dir = path.join(scratch, 'podman');
      const built = await ok(execa('./build.sh', ['build'], { cwd: small.dir, env: e.podmanEnv({ ...small.baseArgs, CACHE_DIR: dir }), all: true, reject: false }), 'podman build');
      const said = built.stderr.split('\n').filter((l) => l.includes('CACHE_DIR'));
      assert.deepEqual(said, ['build.sh: CACHE_DIR: podman keeps its cache mounts in its own storage and cannot export them; building without it']);
      assert.ok(!existsSync(dir), 'podman wrote a cache folder');
    });

    it("Debian's Docker Engine 20.10 (classic image store) says in one line that it cannot, and builds", async () => {
      await e.useEngine('oldest');
      try {
        const dir = path.join(scratch, 'classic');
        const built = await ok(buildSh(small, ['build'], { CACHE_DIR: dir, BUILDX_BUILDER: 'default' }), 'classic store build');
        const said = built.stderr.split('\n').filter((l) => l.includes('CACHE_DIR'));
        assert.equal(said.length, 1, said.join('\n'));
        assert.match(said[0]!, /^build\.sh: CACHE_DIR: the docker driver cannot export a cache on the classic image store/);
        assert.ok(!existsSync(dir));
      } finally {
        await e.useEngine('today');
      }
    });
  });
});
