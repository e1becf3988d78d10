// The generated projects on real engines, driven the way users drive them: through the
// generated build.sh (and buildx for the build checks).
//   today's Docker Engine: every variant the buildah image tests build, on its own docker
//     driver and again on a remote buildx builder (the newest BuildKit); build checks; push
//     after docker login; a multi-arch push whose arm64 image runs under qemu;
//   the oldest Docker Engine we support: a service and a cli, also with a docker CLI that
//     has no buildx (BuildKit built into the engine);
//   podman: a service and a cli.
// The engines, registries and stand-in base images are this run's own (test/support/engines/).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { readElf } from '../support/elf.js';
import { exportRootfs } from '../support/engines/builder.js';
import { engines, type Engines } from '../support/engines/engines.js';
import { pushSbomScanner } from '../support/engines/standins.js';
import { shopModule } from '../support/modules.js';
import { cleanup, generate, ok, PACKAGE_ROOT, read } from '../support/project.js';
import { freePort, waitForHttp } from '../support/service.js';
import { basesOf, dockerGenerate, logOnce, MATRIX, variantLabel } from '../support/variants.js';

interface Project {
  label: string;
  dir: string;
  name: string;
  kind: 'service' | 'cli';
  /** The port the service listens on in the container. */
  port: number;
  /** The folder of package main, where a planted test goes. */
  mainDir: string;
  /** Base images overridden for this machine (RUNTIME_IMAGE for a digest), which build.sh passes on. */
  baseArgs: Record<string, string>;
}

type EngineName = 'today' | 'oldest' | 'podman';

interface Engine {
  name: EngineName;
  cli: 'docker' | 'podman';
  env(extra?: Record<string, string>): Record<string, string>;
}

interface Ran {
  exitCode?: number | undefined;
  stdout: string;
  all: string;
}

const VERSION = 'v1.0.0';
let e: Engines;
let engine: Engine;

/** ./build.sh ARGS in the project, as a user types it; never rejects. In its own process group, for stopGroup. */
function buildSh(p: Project, args: string[], extra: Record<string, string> = {}) {
  return execa('./build.sh', args, { cwd: p.dir, env: engine.env({ VERSION, ...p.baseArgs, ...extra }), all: true, reject: false, detached: true });
}

/** Ends a build.sh and the engine client it started (a signal to bash alone would leave `docker run` behind). */
function stopGroup(run: ReturnType<typeof buildSh>): void {
  try {
    if (run.pid) process.kill(-run.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The engine's own CLI (docker or podman); never rejects. */
function cli(args: string[], options: { cwd?: string; input?: string } = {}) {
  return execa(engine.cli, args, { env: engine.env(), all: true, reject: false, ...options });
}

const imageOf = (p: Project): string => `${p.name}:${VERSION}`;

/** The numeric owner ("uid/gid") of a path in an image's file system, as `docker export` writes it. */
async function ownerInImage(ref: string, entry: string): Promise<string | undefined> {
  const id = (await ok(cli(['create', ref, 'x']), 'create')).stdout.trim();
  try {
    const list = await execa('sh', ['-c', '"$1" export "$2" | tar -tv --numeric-owner', 'sh', engine.cli, id], { env: engine.env() });
    return list.stdout.split('\n').map((l) => l.split(/\s+/)).find((f) => f.at(-1) === entry)?.[1];
  } finally {
    await cli(['rm', id]);
  }
}
const exists = async (ref: string): Promise<boolean> => (await cli(['image', 'inspect', ref])).exitCode === 0;
const baseArgFlags = (p: Project): string[] => Object.entries(p.baseArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);

/** Starts that Docker Engine (stopping the other) and drives it from here on; says which it is. */
async function useDockerd(name: 'today' | 'oldest'): Promise<void> {
  const d = await e.useEngine(name);
  engine = { name, cli: 'docker', env: (extra) => e.env(extra) };
  logOnce(`engine: ${d.description}`);
}

/** Starts `./build.sh run` in the background; returns it and its container's ID once running. */
async function startRun(p: Project) {
  // By image ID: the image may carry other names too (a registry's, after a push).
  const image = (await ok(cli(['image', 'inspect', '--format', '{{.Id}}', imageOf(p)]), 'image inspect')).stdout.trim();
  const run = buildSh(p, ['run']);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && run.exitCode === null) {
    const id = (await cli(['ps', '-q', '--no-trunc', '--filter', `ancestor=${image}`])).stdout.trim().split('\n')[0];
    if (id) return { run, id };
    await new Promise((r) => setTimeout(r, 200));
  }
  stopGroup(run);
  throw new Error(`./build.sh run started no container:\n${(await run).all}`);
}

/** Docker's HEALTHCHECK status once it settles; podman has no systemd timers here, so its check is run by hand. */
async function health(id: string): Promise<string> {
  if (engine.cli === 'podman') return (await cli(['healthcheck', 'run', id])).exitCode === 0 ? 'healthy' : 'unhealthy';
  const deadline = Date.now() + 45_000;
  let status = '';
  while (Date.now() < deadline) {
    status = (await cli(['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', id])).stdout.trim();
    if (status === 'healthy' || status === 'unhealthy') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return status;
}

async function login(): Promise<void> {
  const { user, password } = e.secure.auth!;
  await ok(cli(['login', '--username', user, '--password-stdin', ...(engine.cli === 'podman' ? ['--tls-verify=false'] : []), e.secure.host], { input: password }), 'login');
}

interface Attestation {
  predicateType: string;
  predicate: Record<string, unknown>;
}

/** The in-toto attestations an index in the secure registry holds, one per platform per kind, read from its blobs. */
async function attestations(repo: string, name: string): Promise<Attestation[]> {
  const json = async (p: string, accept: string[] = []) => (await (await e.secure.api(`/v2/${repo}/${name}/${p}`, accept)).json());
  const index = await json(`manifests/${VERSION}`, ['application/vnd.oci.image.index.v1+json']);
  const found: Attestation[] = [];
  for (const m of index.manifests.filter((x: any) => x.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')) {
    const manifest = await json(`manifests/${m.digest}`, ['application/vnd.oci.image.manifest.v1+json']);
    for (const layer of manifest.layers) {
      const statement = await json(`blobs/${layer.digest}`);
      found.push({ predicateType: layer.annotations['in-toto.io/predicate-type'], predicate: statement.predicate });
    }
  }
  return found;
}

/** mode=max provenance records how the image was built: the build's own definition, not only its inputs. */
function assertMaxProvenance(predicate: Record<string, unknown>): void {
  const text = JSON.stringify(predicate);
  assert.ok(text.includes('"buildConfig"'), `not mode=max provenance (no buildConfig): ${text.slice(0, 500)}`);
  assert.ok(text.includes('golang:1.26.8-alpine'), 'the provenance does not name the builder image');
}

/**
 * What a user does with one project on the current engine. `every` runs build.sh's whole command
 * list; without it, a variant gets what depends on it: the build (its runtime stage), the build
 * checks (its Dockerfile) and the run (its image). The rest of the list (the remote builder, test,
 * artifact, size, push, prune) runs the same commands on the same builder stage whatever the base:
 * the representative set below runs each of them for every kind, layout and base among them.
 */
function projectSuite(label: string, get: () => Project, engineName: EngineName, every = true) {
  describe(label, () => {
    let p: Project;
    before(() => (p = get()));

    it('./build.sh build leaves the image in the engine', async () => {
      await cli(['rmi', '--force', imageOf(p)]);
      await ok(buildSh(p, ['build']), './build.sh build');
      const inspect = await cli(['image', 'inspect', imageOf(p)]);
      assert.equal(inspect.exitCode, 0, `${imageOf(p)} is not in the engine after ./build.sh build`);
      const [info] = JSON.parse(inspect.stdout);
      assert.equal(info.Config.User, '65532:65532');
      assert.equal(info.Config.Labels['org.opencontainers.image.version'], VERSION);
      // The working folder is the user's, on every base (scratch has no mkdir): a program can write beside itself.
      assert.equal(info.Config.WorkingDir, '/data');
      assert.equal(await ownerInImage(imageOf(p), 'data/'), '65532/65532');
      // docker keeps it in Config, podman at the top level.
      if (p.kind === 'service') assert.deepEqual((info.Config.Healthcheck ?? info.Healthcheck)?.Test?.[0], 'CMD', 'HEALTHCHECK is missing');
    });

    if (engineName === 'today' && every) {
      it('./build.sh build on a remote buildx builder (newest BuildKit) loads the image too', async () => {
        await cli(['rmi', '--force', imageOf(p)]);
        await ok(buildSh(p, ['build'], { BUILDX_BUILDER: e.remoteBuilder }), 'BUILDX_BUILDER=remote ./build.sh build');
        assert.ok(await exists(imageOf(p)), `${imageOf(p)} stayed in the remote builder's cache`);
      });
    }

    if (engineName === 'today') {
      it('docker buildx build --call check reports no warnings', async () => {
        const check = await ok(cli(['buildx', 'build', '--call', 'check', ...baseArgFlags(p), '.'], { cwd: p.dir }), 'build check');
        assert.match(check.all, /Check complete, no warnings found\./);
      });
    }

    if (every) it('./build.sh test passes, and fails once a failing test is planted', async () => {
      await ok(buildSh(p, ['test']), './build.sh test');
      const planted = path.join(p.dir, p.mainDir, 'planted_test.go');
      writeFileSync(planted, 'package main\n\nimport "testing"\n\nfunc TestPlanted(t *testing.T) { t.Fatal("planted failure") }\n');
      try {
        const failing = await buildSh(p, ['test']);
        assert.notEqual(failing.exitCode, 0, 'a planted failing test passed ./build.sh test');
        assert.match(failing.all, /planted failure/);
      } finally {
        rmSync(planted);
      }
    });

    if (every) it('./build.sh artifact writes a static binary to bin/', async () => {
      rmSync(path.join(p.dir, 'bin'), { recursive: true, force: true });
      const result = await ok(buildSh(p, ['artifact']), './build.sh artifact');
      assert.match(result.stdout, new RegExp(`^bin/${p.name}$`, 'm'));
      const elf = readElf(path.join(p.dir, 'bin', p.name));
      assert.ok(elf.isStatic, 'the artifact is dynamically linked');
      assert.equal(elf.machine, 'x86-64');
    });

    it(`./build.sh run: ${label.includes('cli') ? 'on the current folder, writes its output there' : '/healthz on the published port, -healthcheck inside, healthy, stop ends it at once (ours with exit 0)'}`, async () => {
      if (p.kind === 'cli') {
        writeFileSync(path.join(p.dir, 'input.txt'), 'from the host\n');
        rmSync(path.join(p.dir, 'output.txt'), { force: true });
        await ok(buildSh(p, ['run']), './build.sh run');
        assert.equal(readFileSync(path.join(p.dir, 'output.txt'), 'utf8'), 'FROM THE HOST\n');
        return;
      }
      const { run, id } = await startRun(p);
      try {
        assert.deepEqual(await waitForHttp(`http://127.0.0.1:${p.port}/healthz`, 20_000), { status: 200, body: 'ok' });
        const [info] = JSON.parse((await cli(['inspect', id])).stdout);
        const probe = (info.Config.Healthcheck?.Test ?? []).slice(1) as string[];
        assert.deepEqual(probe, [`/usr/local/bin/${p.name}`, '-healthcheck']);
        await ok(cli(['exec', id, ...probe]), '-healthcheck in the container');
        assert.equal(await health(id), 'healthy');
        const stopping = Date.now();
        await ok(cli(['stop', id]), 'stop');
        const ended = await run;
        const took = Date.now() - stopping;
        // Promptly, not after the engine's 10 s grace period and a SIGKILL.
        assert.ok(took < 8000, `stop took ${took} ms`);
        if (p.label === EXISTING) {
          // Not our program: it does not handle SIGTERM, so Go's runtime ends it with exit code 2.
          assert.equal(ended.exitCode, 2, `the container ended with ${ended.exitCode}:\n${ended.all}`);
        } else {
          assert.equal(ended.exitCode, 0, `the container ended with ${ended.exitCode}:\n${ended.all}`);
        }
      } finally {
        stopGroup(run);
        await cli(['rm', '--force', id]);
      }
    });

    if (engineName !== 'oldest' && every) {
      it('./build.sh size prints the image size', async () => {
        const size = await ok(buildSh(p, ['size']), './build.sh size');
        const bytes = Number(/: (\d+) bytes/.exec(size.stdout)?.[1]);
        assert.ok(bytes > 1_000_000 && bytes < 60_000_000, size.stdout);
        logOnce(`${engineName}: ${size.stdout.trim()}`);
      });

      it('./build.sh push after login: the tag is listed in the registry', async () => {
        await login();
        await ok(buildSh(p, ['push'], { REGISTRY: `${e.secure.host}/${engineName}` }), './build.sh push');
        const listed = (await (await e.secure.api(`/v2/${engineName}/${p.name}/tags/list`)).json()) as { tags: string[] };
        assert.deepEqual(listed.tags, [VERSION]);
      });
    }

    if (engineName === 'today' && every) {
      it('./build.sh prune removes a dangling image and keeps the tagged one', async () => {
        // A dangling image, as an untagged `docker build .` leaves one.
        const built = await ok(cli(['buildx', 'build', '--load', '--quiet', '--build-arg', 'VERSION=dangling', ...baseArgFlags(p), '.'], { cwd: p.dir }), 'untagged build');
        const dangling = built.stdout.trim().split('\n').pop()!;
        assert.ok(await exists(dangling));
        await ok(buildSh(p, ['prune']), './build.sh prune');
        assert.ok(!(await exists(dangling)), 'prune left the dangling image');
        assert.ok(await exists(imageOf(p)), 'prune removed the tagged image');
      });
    }
  });
}

interface Spec {
  label: string;
  options: Record<string, unknown>;
}

// What the buildah image tests build (the variant matrix), and the example preset.
const SPECS: Spec[] = MATRIX.map((v) => ({ label: variantLabel(v), options: { ...v } }));
SPECS.push({ label: 'acme-preset', options: { preset: path.join(PACKAGE_ROOT, 'examples/acme-preset') } });
const EXISTING = 'existing-module-cmd-api';
const SMALL = ['alpine-service-flat', 'scratch-cli-cmd-config'];
/**
 * The variants that run build.sh's whole command list on today's engine: each kind and layout
 * (service and cli, flat and cmd), each base (alpine, scratch, distroless), config files, the
 * example preset (its mirror images and digests) and an existing module. The others build, check
 * and run.
 */
const EVERY_COMMAND = new Set(['alpine-service-flat', 'scratch-cli-cmd-config', 'distroless-service-cmd-config', 'distroless-cli-flat', 'acme-preset', EXISTING]);

async function newProject(spec: Spec): Promise<Project> {
  const port = await freePort();
  const name = spec.label.replace('-config', '');
  const { dir } = await generate({ module: `example.com/e2e/${name}`, name, port: String(port), ...spec.options });
  const cmd = spec.options['layout'] === 'cmd';
  return { label: spec.label, dir, name, kind: spec.options['kind'] === 'cli' ? 'cli' : 'service', port, mainDir: cmd ? `cmd/${name}` : '.', baseArgs: {} };
}

/** dockergo:docker on an existing module with cmd/api and cmd/worker. */
async function existingProject(): Promise<Project> {
  const dir = shopModule();
  const port = await freePort();
  await dockerGenerate(dir, { main: './cmd/api', port: String(port) });
  return { label: EXISTING, dir, name: 'api', kind: 'service', port, mainDir: 'cmd/api', baseArgs: {} };
}

/** Base images for a project: stand-ins in the registry; build args for digest-pinned ones. */
async function prepare(p: Project): Promise<void> {
  const { refs, pinned } = basesOf(read(p.dir, 'Dockerfile'));
  for (const line of await e.prepareBases(refs)) logOnce(line);
  for (const [arg, ref] of Object.entries(pinned)) {
    logOnce(`${p.label}: ${arg} pins a digest, which no registry here can serve: built with ${arg}=${ref}`);
    p.baseArgs[arg] = ref;
  }
}

describe('real engines through build.sh', function () {
  this.timeout(1_800_000);
  const projects = new Map<string, Project>();
  const get = (label: string) => () => projects.get(label)!;

  before(async () => {
    e = await engines();
    console.log(`      registries: distribution ${e.mirror.version}, ${e.mirror.host} (docker.io mirror, stand-in bases), ${e.secure.host} (htpasswd)`);
    console.log(`      remote buildx builder: BuildKit ${e.buildkitd.version} through buildx ${e.buildxVersion}`);
    for (const spec of SPECS) projects.set(spec.label, await newProject(spec));
    projects.set(EXISTING, await existingProject());
  });
  after(() => [...projects.values()].forEach((p) => cleanup(p.dir)));

  describe("today's Docker Engine", () => {
    before(async () => {
      await useDockerd('today');
      for (const p of projects.values()) await prepare(p);
    });

    for (const label of [...SPECS.map((s) => s.label), EXISTING]) projectSuite(label, get(label), 'today', EVERY_COMMAND.has(label));

    describe('multi-arch: PLATFORMS=linux/amd64,linux/arm64 ./build.sh push on the remote builder', () => {
      let p: Project;
      let ref = '';
      let pushed: Ran;
      before(async () => {
        p = projects.get('alpine-service-flat')!;
        ref = `${e.secure.host}/multi/${p.name}:${VERSION}`;
        await login();
        pushed = await ok(buildSh(p, ['push'], { PLATFORMS: 'linux/amd64,linux/arm64', BUILDX_BUILDER: e.remoteBuilder, REGISTRY: `${e.secure.host}/multi` }), 'multi-arch push');
      });

      it('attaches provenance (mode=max); the SBOM scanner, unreachable here, is named and skipped', async () => {
        assert.match(pushed.all, /build\.sh: the SBOM scanner docker\/buildkit-syft-scanner cannot be reached: pushing with provenance only/);
        const found = await attestations('multi', p.name);
        assert.deepEqual(found.map((a) => a.predicateType.replace(/v[\d.]+$/, '')).sort(), ['https://slsa.dev/provenance/', 'https://slsa.dev/provenance/']);
        for (const a of found) assertMaxProvenance(a.predicate);
      });

      it('with a scanner it can reach (SBOM_GENERATOR: a stand-in), the index holds an SPDX SBOM too', async () => {
        const scanner = await pushSbomScanner(e.mirror.host);
        await ok(
          buildSh(p, ['push'], { PLATFORMS: 'linux/amd64,linux/arm64', BUILDX_BUILDER: e.remoteBuilder, REGISTRY: `${e.secure.host}/sbom`, SBOM_GENERATOR: scanner }),
          'multi-arch push with an SBOM',
        );
        const found = await attestations('sbom', p.name);
        const sboms = found.filter((a) => a.predicateType === 'https://spdx.dev/Document');
        assert.equal(sboms.length, 2, found.map((a) => a.predicateType).join());
        for (const sbom of sboms) assert.match(String((sbom.predicate as { comment?: string }).comment), /^STAND-IN: \d+ files scanned$/);
        assert.equal(found.filter((a) => a.predicateType.startsWith('https://slsa.dev/provenance/')).length, 2);
      });

      it('pushes an index holding linux/amd64 and linux/arm64', async () => {
        const response = await e.secure.api(`/v2/multi/${p.name}/manifests/${VERSION}`, ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
        const index = (await response.json()) as { mediaType: string; manifests: { platform?: { os: string; architecture: string } }[] };
        assert.match(index.mediaType, /index|manifest\.list/);
        const platforms = index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).filter((x) => x !== 'unknown/unknown');
        assert.deepEqual(platforms.sort(), ['linux/amd64', 'linux/arm64']);
      });

      it('the arm64 image, pulled back, runs under qemu and prints its version', async () => {
        await ok(cli(['pull', '--platform', 'linux/arm64', ref]), 'pull arm64');
        const version = await ok(cli(['run', '--rm', '--platform', 'linux/arm64', ref, '-version']), 'run arm64');
        assert.equal(version.stdout.trim(), `${p.name} ${VERSION}`);
      });

      it("each platform's binary is built for its machine", async () => {
        for (const [platform, machine] of [['linux/amd64', 'x86-64'], ['linux/arm64', 'aarch64']] as const) {
          await ok(cli(['pull', '--platform', platform, ref]), `pull ${platform}`);
          const dir = mkdtempSync(path.join(tmpdir(), 'rootfs-'));
          try {
            await exportRootfs(engine.env(), ref, dir, platform);
            const elf = readElf(path.join(dir, 'usr/local/bin', p.name));
            assert.equal(elf.machine, machine, platform);
            assert.ok(elf.isStatic);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      });
    });
  });

  describe("today's Docker Engine: the builder follows go.mod", () => {
    it('after a go.mod bump, ./build.sh build resolves the builder for the new Go version', async () => {
      await useDockerd('today');
      const p = await newProject({ label: 'follows', options: { base: 'scratch', goVersion: '1.26.0' } });
      try {
        assert.match(read(p.dir, 'Dockerfile'), /^ARG GO_VERSION=1\.26\.0$/m);
        // Only the new version's builder is served here: the Dockerfile's own default is not.
        for (const line of await e.prepareBases(['golang:1.26.8-alpine'])) logOnce(line);
        writeFileSync(path.join(p.dir, 'go.mod'), read(p.dir, 'go.mod').replace(/^go 1\.26\.0$/m, 'go 1.26.8'));
        const build = await ok(buildSh(p, ['build']), './build.sh build');
        assert.match(build.all, /build\.sh: Go 1\.26\.8, from go\.mod/);
        assert.match(build.all, /golang:1\.26\.8-alpine/);
        assert.doesNotMatch(build.all, /golang:1\.26\.0-alpine/);
        writeFileSync(path.join(p.dir, 'go.mod'), `${read(p.dir, 'go.mod')}\ntoolchain go1.26.8\n`.replace(/^go 1\.26\.8$/m, 'go 1.26.0'));
        const toolchain = await ok(buildSh(p, ['build']), './build.sh build');
        assert.match(toolchain.all, /build\.sh: Go 1\.26\.8, from go\.mod/, 'the toolchain directive wins over the go directive');
      } finally {
        cleanup(p.dir);
      }
    });
  });

  describe('the oldest Docker Engine', () => {
    before(async () => {
      await useDockerd('oldest');
    });

    for (const label of SMALL) projectSuite(label, get(label), 'oldest');

    it("./build.sh build with Debian's docker CLI 20.10 and no buildx (the engine's built-in BuildKit)", async () => {
      const p = projects.get('alpine-service-flat')!;
      await cli(['rmi', '--force', imageOf(p)]);
      const bare = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
      try {
        writeFileSync(path.join(bare, 'config.json'), '{}\n');
        await ok(buildSh(p, ['build'], { DOCKER: '/usr/bin/docker', DOCKER_CONFIG: bare }), 'DOCKER=/usr/bin/docker ./build.sh build');
        assert.ok(await exists(imageOf(p)));
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    });
  });

  describe('podman', () => {
    before(async function () {
      const version = await execa('podman', ['--version'], { reject: false }).catch(() => undefined);
      if (version?.exitCode !== 0) throw new Error('podman is not installed: run npm run setup');
      engine = { name: 'podman', cli: 'podman', env: (extra) => e.podmanEnv(extra) };
      console.log(`      engine: ${version.stdout.trim()} (runc; stand-in bases through its registries.conf mirror)`);
    });

    for (const label of SMALL) projectSuite(label, get(label), 'podman');
  });
});
