// dockergo:docker on real open-source Go modules, fetched from the Go module proxy, through the
// packed bin, built with ./build.sh on today's Docker Engine and run: an HTTP answer from a
// service, --version or usage from a cli. Where the module's own tests pass on the host, they
// must pass in ./build.sh test too. The README's corpus table is this list.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { engines, type Engines } from '../support/engines/engines.js';
import { packedPackage } from '../support/packed.js';
import { checkoutModule, goSources } from '../support/modules.js';
import { cleanup, PACKAGE_ROOT, read, tempDir } from '../support/project.js';
import { freePort, waitForHttp } from '../support/service.js';
import { basesOf, logOnce } from '../support/variants.js';

interface CorpusModule {
  module: string;
  version: string;
  /** What it shows: the layout traits this module brings to the corpus. */
  traits: string;
  /** --main, when the module has more than one candidate. */
  main?: string;
  kind: 'service' | 'cli';
  /** service: a path that answers 200; cli: arguments and what the output holds. */
  check: { path: string } | { args: string[]; output: RegExp };
  /** Run the module's own tests, on the host and in ./build.sh test (small suites only: CI time). */
  tests?: boolean;
  /** Vendor it first (`go mod vendor`), as a repository that commits vendor/ would be. */
  vendor?: boolean;
  /** A module of this repository's (test/fixtures/<fixture>) rather than one from the proxy. */
  fixture?: string;
}

export const CORPUS: CorpusModule[] = [
  { module: 'github.com/mccutchen/go-httpbin/v2', version: 'v2.26.0', traits: 'HTTP service in cmd/, embedded static files, internal/', kind: 'service', check: { path: '/get' } },
  { module: 'github.com/rakyll/hey', version: 'v0.1.4', traits: 'root main, go 1.13 (a vendor/modules.txt that Go ignores below 1.14)', kind: 'cli', check: { args: ['-h'], output: /Usage: hey/ }, tests: true },
  { module: 'github.com/mikefarah/yq/v4', version: 'v4.54.2', traits: 'root main, large dependency tree, test files across packages', kind: 'cli', check: { args: ['--version'], output: /version v?4\.54\.2/ } },
  { module: 'github.com/go-task/task/v3', version: 'v3.54.0', traits: 'three cmd/ mains (--main), testdata/, internal/, go 1.26.4', main: './cmd/task', kind: 'cli', check: { args: ['--version'], output: /\btest\b/ } },
  { module: 'filippo.io/age', version: 'v1.3.2', traits: 'four cmd/ mains (--main), a toolchain line (go1.27.0), testdata/, internal/', main: './cmd/age', kind: 'cli', check: { args: ['--version'], output: /^test$/m } },
  { module: 'github.com/junegunn/fzf', version: 'v0.65.2', traits: 'root main, go 1.20 (older than the new-project rule), src/ package tree', kind: 'cli', check: { args: ['--version'], output: /^test/m } },
  { module: 'github.com/BurntSushi/toml', version: 'v1.6.0', traits: 'a library at the root, three cmd/ mains (--main ./cmd/tomlv), a root testdata/ its tests read, internal/, go 1.18', main: './cmd/tomlv', kind: 'cli', check: { args: ['-h'], output: /[Uu]sage/ }, tests: true },
  { module: 'mvdan.cc/sh/v3', version: 'v3.14.1', traits: 'two cmd/ mains (--main ./cmd/shfmt), internal/, testdata/, vendored (`go mod vendor`, as many repositories commit it): -mod=vendor, no download', main: './cmd/shfmt', kind: 'cli', check: { args: ['--version'], output: /v3\.14\.1|test|devel/ }, vendor: true },
  {
    module: 'example.com/layouts', version: 'test/fixtures/layouts', fixture: 'layouts', kind: 'cli', tests: true,
    traits: 'every layout that must work: a local replace => ./lib, Go assembly, a .syso object, a root testdata/ its tests read, a nested module',
    check: { args: ['--version'], output: /^layouts 42$/m },
  },
];

const nameOf = (m: CorpusModule): string => (m.main ?? m.module).split('/').filter((e) => !/^v\d+$/.test(e)).at(-1)!.replace(/^\.$/, '');

/** The module's source, out of the module cache (read-only there) into a writable folder. */
async function fetchModule(m: CorpusModule): Promise<string> {
  if (m.fixture) {
    const dir = path.join(tempDir('corpus-'), m.fixture);
    cpSync(path.join(PACKAGE_ROOT, 'test/fixtures', m.fixture), dir, { recursive: true });
    return dir;
  }
  const dir = await checkoutModule(m.module, m.version, nameOf(m));
  if (m.vendor) await execa('go', ['mod', 'vendor'], { cwd: dir, env: { GOFLAGS: '', GOTOOLCHAIN: 'local' } });
  return dir;
}

describe('real-world corpus: dockergo:docker on open-source modules, built and run on Docker Engine', function () {
  this.timeout(1_800_000);
  let e: Engines;
  let bin = '';
  const dirs: string[] = [];

  before(async () => {
    ({ bin } = await packedPackage());
    e = await engines();
    const d = await e.useEngine('today');
    logOnce(`engine: ${d.description}`);
  });
  after(() => dirs.forEach((d) => cleanup(path.dirname(d))));

  for (const m of CORPUS) {
    describe(`${m.module}@${m.version}: ${m.traits}`, () => {
      let dir = '';
      const image = `corpus-${nameOf(m)}:test`;
      const build = (args: string[]) => execa('./build.sh', args, { cwd: dir, env: e.env({ VERSION: 'test', IMAGE: image }), all: true, reject: false });

      before(async () => {
        dir = await fetchModule(m);
        dirs.push(dir);
      });

      it('generator-dockergo docker writes the container files, touching no Go file', async () => {
        const sources = goSources(dir);
        // Real modules often carry a Dockerfile of their own: --force replaces it, as a user adopting the generator would.
        const args = ['docker', '--yes', '--force', '--kind', m.kind, ...(m.main ? ['--main', m.main] : [])];
        const run = await execa(bin, args, { cwd: dir, all: true, reject: false });
        assert.equal(run.exitCode, 0, run.all);
        assert.deepEqual(goSources(dir), sources);
        for (const line of await e.prepareBases(basesOf(read(dir, 'Dockerfile')).refs)) logOnce(line);
      });

      it('./build.sh build builds the image', async () => {
        const result = await build(['build']);
        assert.equal(result.exitCode, 0, result.all.slice(-4000));
        if (m.vendor) assert.match(read(dir, 'Dockerfile'), /^ENV GOFLAGS=-mod=vendor$/m);
        if (m.vendor) assert.doesNotMatch(read(dir, 'Dockerfile'), /go mod download/);
        if (m.fixture === 'layouts') {
          // The replaced module's folder reaches the download step; assembly and .syso files reach the build.
          assert.match(read(dir, 'Dockerfile'), /^COPY lib\/ lib\/\n(?:#.*\n)*RUN --mount=type=cache,target=\/go\/pkg\/mod \\\n {4}--mount=type=secret,id=netrc,target=\/root\/\.netrc \\\n {4}if ! go mod download /m);
          const allow = read(dir, '.dockerignore').split('\n');
          for (const line of ['!lib/', '!*.s', '!*.syso', '!testdata/']) assert.ok(allow.includes(line), line);
          assert.ok(!allow.includes('!tools/'), 'the nested module is not part of this one');
        }
        const goLine = /build\.sh: Go \S+, from \S+/.exec(result.all)?.[0];
        logOnce(`${m.module}: ${goLine ?? 'no Go version line'}`);
      });

      it(m.kind === 'service' ? 'the service answers HTTP' : 'the cli runs', async () => {
        const docker = (args: string[]) => execa('docker', args, { env: e.env(), all: true, reject: false });
        const ref = image;
        if ('path' in m.check) {
          const port = await freePort();
          const container = (await docker(['run', '-d', '--rm', '-p', `127.0.0.1:${port}:8080`, '-e', 'PORT=8080', ref])).stdout.trim();
          try {
            const reply = await waitForHttp(`http://127.0.0.1:${port}${m.check.path}`, 30_000);
            assert.equal(reply.status, 200);
          } finally {
            await docker(['rm', '-f', container]);
          }
        } else {
          const result = await docker(['run', '--rm', ref, ...m.check.args]);
          assert.match(result.all, m.check.output, `exit ${result.exitCode}: ${result.all.slice(-2000)}`);
        }
      });

      if (m.tests) {
        it('its own tests pass on the host, and in ./build.sh test', async () => {
          const host = await execa('go', ['test', './...'], { cwd: dir, all: true, reject: false, env: { GOFLAGS: '', GOTOOLCHAIN: 'local' } });
          assert.equal(host.exitCode, 0, `host tests fail, so the image is not asked to pass them:\n${host.all.slice(-2000)}`);
          const inImage = await build(['test']);
          assert.equal(inImage.exitCode, 0, inImage.all.slice(-4000));
        });
      }
    });
  }
});
