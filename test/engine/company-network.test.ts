// Behind a company network, for real (test/support/company-network.ts): private modules over
// HTTPS with basic auth (git http-backend behind nginx, and an authenticated GOPROXY), both
// behind a company CA, and a TLS-inspecting proxy (mitmdump) with a CA of its own.
// A generated service (its CA from a platform team's preset) and a dockergo:docker module
// (CA_CERTS) each import a module from each source, and build and test with ./build.sh on
// Docker Engine (BuildKit, the docker driver, BUILD_FLAGS="--network host --add-host …") and on
// podman. Then every output is searched for the netrc passwords: the image's layers, config and
// history, the CACHE_DIR export, and a pushed image's provenance (mode=max records build
// arguments). The controls: the modules' own markers, and VERSION, which must be found.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { GIT_HOST, HOSTS, startCompanyServers, startInspectingProxy, type CompanyServers, type InspectingProxy } from '../support/company-network.js';
import { engines, type Engines } from '../support/engines/engines.js';
import { startRegistry, type Registry } from '../support/engines/registry.js';
import { cleanup, findMarker, generate, ok, read, tempDir } from '../support/project.js';
import { basesOf, dockerGenerate, logOnce } from '../support/variants.js';

let e: Engines;
let servers: CompanyServers;
/** The test engine's bridge gateway, which the servers listen on too (for docker compose build). */
let bridge = '';
/** podman's TMPDIR, where buildah keeps its cache mounts: this run's own, so they start empty. */
let podmanTmp: string;

/** For the failures: no layer of an earlier build may stand in for the download step. */
const NO_CACHE = { BUILD_FLAGS: '--no-cache' };

interface Project {
  dir: string;
  baseArgs: Record<string, string>;
}

/** The code that links both private modules, and a test that calls them. */
function linkPrivateModules(dir: string): void {
  writeFileSync(
    path.join(dir, 'company.go'),
    `package main\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"corp.example.test/platform/quote"\n\t"${GIT_HOST}/platform/greet"\n)\n\n` +
      '// init prints what the private modules return, when asked to: the image holds their code.\n' +
      'func init() {\n\tif os.Getenv("COMPANY_MARKERS") != "" {\n\t\tfmt.Println(greet.Marker(), quote.Marker())\n\t}\n}\n',
  );
  writeFileSync(
    path.join(dir, 'company_test.go'),
    `package main\n\nimport (\n\t"strings"\n\t"testing"\n\n\t"corp.example.test/platform/quote"\n\t"${GIT_HOST}/platform/greet"\n)\n\n` +
      'func TestPrivateModules(t *testing.T) {\n\tfor _, m := range []string{greet.Marker(), quote.Marker()} {\n' +
      '\t\tif !strings.Contains(m, "-module-marker-") {\n\t\t\tt.Errorf("marker %q", m)\n\t\t}\n\t}\n}\n',
  );
  appendFileSync(path.join(dir, 'go.mod'), `\nrequire (\n\t${servers.proxyModule.path} ${servers.proxyModule.version}\n\t${servers.gitModule.path} ${servers.gitModule.version}\n)\n`);
  writeFileSync(path.join(dir, 'go.sum'), servers.goSum);
}

async function prepared(dir: string): Promise<Project> {
  const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
  await e.prepareBases(refs);
  return { dir, baseArgs: pinned };
}

type Engine = 'docker' | 'podman';

/** ./build.sh ARGS on an engine; never rejects. The build's steps reach 127.0.0.1 through BUILD_FLAGS: the host's network, and the made-up host names. */
function buildSh(engine: Engine, p: Project, args: string[], extra: Record<string, string> = {}) {
  const flags = ['--network', 'host', ...servers.addHosts, ...(extra['BUILD_FLAGS'] ? [extra['BUILD_FLAGS']] : [])];
  const env = { ...p.baseArgs, ...(engine === 'podman' ? { TMPDIR: podmanTmp } : {}), ...extra, BUILD_FLAGS: flags.join(' ') };
  return execa('./build.sh', args, {
    cwd: p.dir,
    env: engine === 'docker' ? e.env({ BUILDX_BUILDER: 'default', ...env }) : e.podmanEnv(env),
    all: true,
    reject: false,
  });
}

/** A new folder below `parent` for generate(), which runs in an existing one. */
function folder(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** With the credentials and both servers' settings. */
const company = (extra: Record<string, string> = {}): Record<string, string> => ({ ...servers.goEnv, NETRC_FILE: servers.netrc, ...extra });

function cli(engine: Engine, args: string[], options: { env?: Record<string, string> } = {}) {
  const env = engine === 'docker' ? e.env(options.env) : e.podmanEnv(options.env);
  return execa(engine, args, { env, all: true, reject: false });
}

/** `docker save` (or podman's) unpacked: the image's layers, config and manifest, as files. */
async function saved(engine: Engine, image: string, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const tar = path.join(dir, 'image.tar');
  await ok(cli(engine, ['save', '-o', tar, image]), `${engine} save`);
  const out = path.join(dir, 'image');
  mkdirSync(out);
  await execa('tar', ['-xf', tar, '-C', out]);
  return out;
}

const SAID = 'go mod download: ';

/** What our Dockerfile's download step said: its lines that begin "go mod download: ", after that (BuildKit prefixes a step's output with "#N seconds"). */
const said = (output: string): string[] =>
  output.split('\n').map((l) => l.replace(/^#\d+ [\d.]+ /, '')).filter((l) => l.startsWith(SAID)).map((l) => l.slice(SAID.length));

describe('behind a company network: private modules over authenticated HTTPS, a company CA, a TLS-inspecting proxy', function () {
  this.timeout(1_800_000);
  const scratch = tempDir('dockergo-company-');
  let service: Project;
  let existing: Project;

  before(async () => {
    e = await engines();
    await e.useEngine('today');
    // Compose's builder (bake) runs no build on the host's network without a grant Compose cannot
    // give: the servers listen on the test engine's bridge too, where a build's network reaches.
    bridge = (await execa('docker', ['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}'], { env: e.env() })).stdout.trim();
    servers = await startCompanyServers(path.join(scratch, 'servers'), String(process.pid), [bridge]);
    podmanTmp = folder(scratch, 'podman-tmp');
    logOnce(`nginx ${(await execa('nginx', ['-v'], { all: true })).all.split('/')[1]} on 127.0.0.1:443 (git http-backend through fcgiwrap, a GOPROXY), TLS from a test CA, basic auth`);
    // The platform team's case: a preset names the CA bundle, which every project then carries.
    const preset = path.join(scratch, 'preset');
    mkdirSync(preset);
    cpSync(servers.caFile, path.join(preset, 'company-ca.pem'));
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ caCerts: 'company-ca.pem', defaults: { goprivate: `${GIT_HOST},corp.example.test` } }));
    const { dir } = await generate({ module: 'example.com/acme/orders', base: 'scratch', preset }, folder(scratch, 'orders'));
    linkPrivateModules(dir);
    service = await prepared(dir);
    // An existing module: a program of its own, containerised by dockergo:docker.
    const legacy = path.join(scratch, 'legacy');
    mkdirSync(legacy);
    writeFileSync(path.join(legacy, 'go.mod'), 'module example.com/acme/legacy\n\ngo 1.26\n');
    writeFileSync(path.join(legacy, 'main.go'), 'package main\n\nimport "fmt"\n\nvar version = "dev"\n\nfunc main() { fmt.Println("legacy", version) }\n');
    linkPrivateModules(legacy);
    await dockerGenerate(legacy, { goprivate: `${GIT_HOST},corp.example.test`, base: 'distroless' });
    existing = await prepared(legacy);
  });

  after(async () => {
    await servers?.stop();
    cleanup(scratch);
  });

  for (const engine of ['docker', 'podman'] as const) {
    describe(engine === 'docker' ? "Docker Engine (today's, BuildKit's docker driver)" : 'podman (buildah)', () => {
      // The failures first, on a builder whose module cache is still empty (a cached download
      // step would hide them), each with --no-cache, so an earlier run's layers do not either.
      it('without the company CA, the build stops with one line that says to set CA_CERTS', async () => {
        // CA_CERTS= (empty) sets the preset's bundle aside.
        const untrusted = await buildSh(engine, service, ['build'], company({ CA_CERTS: '', IMAGE: 'orders:noca', ...NO_CACHE }));
        assert.notEqual(untrusted.exitCode, 0);
        assert.match(untrusted.all, /x509: certificate signed by unknown authority/);
        assert.deepEqual(said(untrusted.all), [
          'a server certificate is not trusted (a private CA, or a TLS-inspecting proxy): set CA_CERTS=FILE, the company CA bundle, for ./build.sh (CA_CERTS_PEM with its text for docker compose)',
        ]);
      });
      it('without the netrc secret, or with a wrong password, the build stops with one line that says what to set', async () => {
        const empty = path.join(scratch, `home-${engine}`);
        mkdirSync(empty, { recursive: true });
        const without = await buildSh(engine, service, ['build'], { ...servers.goEnv, HOME: empty, IMAGE: 'orders:nonetrc', ...NO_CACHE });
        assert.notEqual(without.exitCode, 0);
        assert.match(without.all, /401 Unauthorized|terminal prompts disabled/);
        assert.deepEqual(said(without.all), [
          'a module server asks for credentials: set NETRC_FILE=FILE, a netrc file (./build.sh reads ~/.netrc without it; docker compose takes its text, NETRC_TEXT)',
        ]);
        const wrong = path.join(scratch, `wrong-netrc-${engine}`);
        writeFileSync(wrong, readFileSync(servers.netrc, 'utf8').replaceAll('password netrc-', 'password wrong-'));
        const refused = await buildSh(engine, service, ['build'], company({ NETRC_FILE: wrong, IMAGE: 'orders:wrong', ...NO_CACHE }));
        assert.notEqual(refused.exitCode, 0);
        assert.match(said(refused.all).join('\n'), /^a server refused the credentials in the netrc secret: check the machine, login and password lines of NETRC_FILE/m, refused.all.slice(-3000));
      });

      it('the generated service fetches both private modules, builds, tests and runs; the CA comes from the preset', async () => {
        const image = `orders:${engine}`;
        const before = servers.accessLog().length;
        const extra: Record<string, string> = engine === 'docker' ? { CACHE_DIR: path.join(scratch, 'cache') } : {};
        await ok(buildSh(engine, service, ['build'], company({ IMAGE: image, ...extra })), `${engine}: ./build.sh build`);
        await ok(buildSh(engine, service, ['test'], company({ IMAGE: image })), `${engine}: ./build.sh test`);
        // Each server was asked with its own user: the credentials came from the netrc secret.
        const asked = servers.accessLog().slice(before);
        assert.match(asked, /ci-git \[[^\]]+\] "GET \/platform\/greet\?go-get=1 /);
        assert.match(asked, /ci-git \[[^\]]+\] "POST \/platform\/greet\.git\/git-upload-pack /);
        assert.match(asked, /ci-proxy \[[^\]]+\] "GET \/corp\.example\.test\/platform\/quote\/@v\/v1\.0\.0\.zip /);
        const run = await ok(cli(engine, ['run', '--rm', '-e', 'COMPANY_MARKERS=1', image, '-version']), `${engine} run`);
        assert.equal(run.stdout.split('\n')[0], `${servers.gitModule.marker} ${servers.proxyModule.marker}`);
      });

      it('the dockergo:docker module does too, with CA_CERTS', async () => {
        const image = `legacy:${engine}`;
        await ok(buildSh(engine, existing, ['build'], company({ IMAGE: image, CA_CERTS: servers.caFile, VERSION: 'v2.0.0' })), `${engine}: ./build.sh build`);
        await ok(buildSh(engine, existing, ['test'], company({ IMAGE: image, CA_CERTS: servers.caFile })), `${engine}: ./build.sh test`);
        const run = await ok(cli(engine, ['run', '--rm', '-e', 'COMPANY_MARKERS=1', image]), `${engine} run`);
        assert.deepEqual(run.stdout.split('\n'), [`${servers.gitModule.marker} ${servers.proxyModule.marker}`, 'legacy v2.0.0']);
      });

      it('no netrc password in any layer, the config or the history; the modules\' code is in the layers (control)', async () => {
        for (const image of [`orders:${engine}`, `legacy:${engine}`]) {
          const dir = await saved(engine, image, path.join(scratch, `saved-${engine}-${image.split(':')[0]}`));
          const history = (await ok(cli(engine, ['history', '--no-trunc', image]), 'history')).stdout;
          const config = (await ok(cli(engine, ['image', 'inspect', image]), 'inspect')).stdout;
          for (const password of [...servers.passwords, `machine ${GIT_HOST}`]) {
            assert.deepEqual(findMarker(dir, password), [], `${image}: ${password}`);
            assert.ok(!history.includes(password) && !config.includes(password), `${image}: ${password} in history or config`);
          }
          assert.ok(findMarker(dir, servers.gitModule.marker).length > 0, `${image}: the search finds no module marker: it reads no layer`);
        }
      });

    });
  }

  describe('the outputs a build leaves besides the image', () => {
    let registry: Registry;
    before(async () => {
      registry = await startRegistry(path.join(scratch, 'registry'));
    });
    after(async () => registry?.stop());

    it('the CACHE_DIR export holds no netrc password; the modules\' code is in it (control)', () => {
      const dir = path.join(scratch, 'cache');
      assert.match(read(dir, 'manifest'), /^generator-dockergo cache 1\n/);
      for (const password of servers.passwords) assert.deepEqual(findMarker(dir, password), [], password);
      const found = findMarker(dir, servers.gitModule.marker);
      assert.ok(found.includes('mounts/gobuild.tar'), `module marker not in the Go build cache: ${found.join(', ')}`);
    });

    it('23. docker compose build takes the netrc secret and the CA as compose.yaml passes them; no password reaches a layer (control: the markers do)', async () => {
      // The made-up names, on the test engine's bridge (see before()).
      writeFileSync(
        path.join(service.dir, 'compose.override.yaml'),
        `services:\n  orders:\n    build:\n      extra_hosts:\n${HOSTS.map((h) => `        - "${h}:${bridge}"\n`).join('')}`,
      );
      const compose = (extra: Record<string, string>) =>
        execa('docker', ['compose', 'build', '--no-cache'], { cwd: service.dir, env: e.env({ ...servers.goEnv, ...extra }), all: true, reject: false });
      // Without them (control), the download step says what is missing: the build really fetched.
      const without = await compose({});
      assert.notEqual(without.exitCode, 0, without.all);
      assert.match(without.all, /set CA_CERTS=FILE|set NETRC_FILE=FILE/);
      await ok(compose({ NETRC_TEXT: readFileSync(servers.netrc, 'utf8'), CA_CERTS_PEM: readFileSync(servers.caFile, 'utf8') }), 'docker compose build');
      const dir = await saved('docker', 'orders-orders', path.join(scratch, 'saved-compose'));
      for (const password of [...servers.passwords, `machine ${GIT_HOST}`]) assert.deepEqual(findMarker(dir, password), [], password);
      assert.ok(findMarker(dir, servers.gitModule.marker).length > 0, 'the search finds no module marker: it reads no layer');
    });

    it('a pushed image with provenance (mode=max) holds no netrc password; its build arguments are there (control)', async () => {
      const version = `v3.0.0-provenance-${process.pid}`;
      const pushed = await ok(
        buildSh('docker', service, ['push'], company({ PLATFORMS: 'linux/amd64', REGISTRY: `${registry.host}/company`, VERSION: version, SBOM: 'false' })),
        'multi-platform push with provenance',
      );
      assert.match(pushed.stdout, /pushed \S+ \(sha256:[0-9a-f]{64}\)/);
      const blobs = path.join(scratch, 'registry', 'data');
      for (const password of servers.passwords) assert.deepEqual(findMarker(blobs, password), [], password);
      const provenance = findMarker(blobs, version).filter((f) => readFileSync(path.join(blobs, f), 'utf8').includes('https://slsa.dev/provenance'));
      assert.ok(provenance.length > 0, 'VERSION is in no provenance blob: the search read none');
    });
  });

  describe('a TLS-inspecting proxy (mitmproxy) with its own CA', () => {
    let proxy: InspectingProxy;
    let uuid: Project;
    before(async () => {
      proxy = await startInspectingProxy(path.join(scratch, 'mitm'));
      logOnce(`${(await execa('mitmdump', ['--version'])).stdout.split('\n')[0]} on ${proxy.url}`);
      const { dir } = await generate({ module: 'example.com/acme/ids', base: 'alpine' }, folder(scratch, 'ids'));
      writeFileSync(path.join(dir, 'ids.go'), 'package main\n\nimport "github.com/google/uuid"\n\n// instance links a public module, fetched through the proxy.\nvar instance = uuid.NewString()\n');
      await execa('go', ['mod', 'tidy'], { cwd: dir });
      uuid = await prepared(dir);
    });
    after(async () => proxy?.stop());

    for (const engine of ['docker', 'podman'] as const) {
      it(`${engine}: HTTPS_PROXY reaches the build as Docker's predefined argument; without the proxy's CA the build says to set CA_CERTS, with it the modules come through the proxy`, async () => {
        // A new builder (docker) or cache folder (podman): no module is in a cache mount yet.
        const fresh = engine === 'docker' ? await e.newBuilder() : undefined;
        const tmp = path.join(scratch, `tmp-${engine}`);
        mkdirSync(tmp, { recursive: true });
        const env: Record<string, string> = {
          HTTPS_PROXY: proxy.url,
          // The proxy listens on 127.0.0.1: podman's steps reach it on the host's network (the remote builder's run there).
          ...(fresh ? { BUILDX_BUILDER: fresh.name } : { TMPDIR: tmp, BUILD_FLAGS: '--network host' }),
          IMAGE: `ids:${engine}`,
        };
        const run = (extra: Record<string, string>) =>
          execa('./build.sh', ['build'], {
            cwd: uuid.dir,
            env: engine === 'docker' ? e.env({ ...uuid.baseArgs, ...env, ...extra }) : e.podmanEnv({ ...uuid.baseArgs, ...env, ...extra }),
            all: true,
            reject: false,
          });
        try {
          const untrusted = await run({ BUILD_FLAGS: `${env.BUILD_FLAGS ?? ''} --no-cache` });
          assert.notEqual(untrusted.exitCode, 0);
          assert.match(untrusted.all, /x509: certificate signed by unknown authority/);
          assert.deepEqual(said(untrusted.all), [
            'a server certificate is not trusted (a private CA, or a TLS-inspecting proxy): set CA_CERTS=FILE, the company CA bundle, for ./build.sh (CA_CERTS_PEM with its text for docker compose)',
          ]);
          const seen = proxy.log().length;
          await ok(run({ CA_CERTS: proxy.caFile, ...(engine === 'docker' ? { VERSION: 'v1.0.0' } : {}) }), `${engine}: build through the proxy`);
          assert.match(proxy.log().slice(seen), /GET https:\/\/proxy\.golang\.org\/github\.com\/google\/uuid\/@v\/v[\d.]+\.zip/);
          if (engine === 'docker') {
            // Never a hard-coded ARG, and BuildKit keeps it out of the image's history.
            assert.doesNotMatch(read(uuid.dir, 'Dockerfile'), /^ARG (HTTPS?|NO)_PROXY/im);
            const history = (await ok(cli('docker', ['history', '--no-trunc', `ids:${engine}`]), 'history')).stdout;
            assert.ok(!history.includes(proxy.url), history);
          }
        } finally {
          await fresh?.stop();
        }
      });
    }
  });

  describe('--runtime-ca: the runtime trusts the CA too, appended to its own bundle', () => {
    const bundleOf = async (engine: Engine, image: string): Promise<string> => {
      const id = (await ok(cli(engine, ['create', image]), 'create')).stdout.trim().split('\n').at(-1)!;
      const out = path.join(scratch, `bundle-${engine}-${image.replace(/\W/g, '-')}.crt`);
      try {
        await ok(cli(engine, ['cp', `${id}:/etc/ssl/certs/ca-certificates.crt`, out]), 'cp');
      } finally {
        await cli(engine, ['rm', id]);
      }
      return readFileSync(out, 'utf8');
    };
    const certificates = (bundle: string): number => bundle.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
    const cases: [Engine, string, boolean][] = [
      ['docker', 'scratch', true],
      ['docker', 'alpine', true],
      ['docker', 'distroless', true],
      ['docker', 'scratch', false],
      ['podman', 'distroless', true],
    ];
    for (const [engine, base, runtimeCa] of cases) {
      it(`${engine}, ${base}${runtimeCa ? '' : ', without --runtime-ca (control): the builder trusts it, the runtime does not'}`, async () => {
        const name = `ca${base}${runtimeCa ? 'on' : 'off'}`;
        const { dir } = await generate({ module: `example.com/acme/${name}`, base, runtimeCa }, folder(scratch, `${name}-${engine}`));
        const p = await prepared(dir);
        const image = `${name}:${engine}`;
        await ok(buildSh(engine, p, ['build'], { CA_CERTS: servers.caFile, IMAGE: image }), `${engine} ${base} build`);
        const bundle = await bundleOf(engine, image);
        const ca = readFileSync(servers.caFile, 'utf8').trim();
        const own = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
        assert.equal(bundle.includes(ca), runtimeCa, `${image}: the company CA is ${runtimeCa ? 'not ' : ''}in the runtime's bundle`);
        // Appended: the base image's own certificates are all still there (the stand-ins carry this host's).
        assert.equal(certificates(bundle), certificates(own) + (runtimeCa ? 1 : 0));
      });
    }
  });
});
