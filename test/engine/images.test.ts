// Every generated Dockerfile, built into an image and run: the image's configuration, its
// behaviour, its contents; the other stages; cache behaviour; multi-arch; private modules;
// reproducible builds; and build.sh's labels.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { buildahBuilder, type Builder, type Container } from '../support/engines/builder.js';
import { containersEnv } from '../support/engines/containers.js';
import { readElf } from '../support/elf.js';
import { greeterModule, shopModule } from '../support/modules.js';
import { cleanup, generate, PACKAGE_ROOT, read, tempDir } from '../support/project.js';
import { existsInImage, filesContaining, imageFiles } from '../support/rootfs.js';
import { freePort, waitForHttp } from '../support/service.js';
import { basesOf, dockerGenerate, logOnce, MATRIX, variantLabel } from '../support/variants.js';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

let images: Builder;
const made: string[] = [];

/** Generates a project, makes its base images exist, and returns where it is. */
async function project(options: Record<string, unknown>): Promise<string> {
  const { dir } = await generate({ module: 'example.com/e2e/app', ...options });
  await prepareBases(dir);
  return dir;
}

/** Base images for dir's Dockerfile; digest-pinned ones are built on stand-ins through build args. */
async function prepareBases(dir: string): Promise<void> {
  const { refs, pinned } = basesOf(read(dir, 'Dockerfile'));
  for (const line of await images.prepareBases(refs)) logOnce(line);
  for (const [arg, ref] of Object.entries(pinned)) logOnce(`${arg} pins a digest; no registry to check it here, so it is built with --build-arg ${arg}=${ref}`);
  buildArgsFor.set(dir, pinned);
}
const buildArgsFor = new Map<string, Record<string, string>>();

async function buildImage(dir: string, tag: string, options: Parameters<Builder['build']>[1] = {}) {
  made.push(tag);
  return images.build(dir, { tag, ...options, buildArgs: { ...buildArgsFor.get(dir), ...options.buildArgs } });
}

/** Starts the image's own ENTRYPOINT + CMD in the container and stops it at the end. */
async function withService<T>(container: Container, command: string[], use: () => Promise<T>): Promise<T> {
  const server = container.run(command);
  // A service that ends before the checks do fails them with what it printed, not with a timeout.
  const ended = server.then((r) => Promise.reject(new Error(`${command.join(' ')} ended (exit ${r.exitCode}) before the checks did:\n${r.all}`)));
  try {
    return await Promise.race([use(), ended]);
  } finally {
    ended.catch(() => undefined);
    server.kill('SIGTERM');
    await server;
  }
}

describe('images', function () {
  this.timeout(1_200_000);

  before(async () => {
    images = await buildahBuilder();
    console.log(`      builder: ${images.name}`);
  });
  after(async () => images?.remove(made));

  for (const variant of MATRIX) {
    describe(variantLabel(variant), () => {
      let dir = '';
      let port = 0;
      const tag = `localhost/dockergo-e2e-${variantLabel(variant)}:test`;
      const name = 'app';
      const binary = `/usr/local/bin/${name}`;

      before(async () => {
        port = await freePort();
        dir = await project({ ...variant, port: String(port), name });
        await buildImage(dir, tag);
      });
      after(() => cleanup(dir));

      it('is configured: numeric non-root user, entrypoint, healthcheck, exposed port, CMD paths that exist', async () => {
        const config = await images.inspect(tag);
        assert.equal(config.user, '65532:65532');
        assert.equal(config.entrypoint[0], binary);
        if (variant.kind === 'service') {
          assert.deepEqual(config.exposedPorts, [`${port}/tcp`]);
          assert.deepEqual(config.healthcheck, ['CMD', binary, '-healthcheck']);
        } else {
          assert.deepEqual(config.exposedPorts, []);
          assert.equal(config.healthcheck, undefined);
        }
        // The working folder is the user's, on every base (scratch has no mkdir): a program can write beside itself.
        assert.equal(config.workingDir, '/data');
        const paths = [...config.entrypoint, ...config.cmd].filter((a) => a.startsWith('/'));
        assert.equal(paths.length, 1 + variant.config.length);
        await images.withContainer(tag, async (c) => {
          const root = await c.rootfs();
          for (const p of paths) assert.ok(existsInImage(root, p), `${p} is named in ENTRYPOINT/CMD but not in the image`);
          const data = statSync(path.join(root, 'data'));
          assert.deepEqual([data.isDirectory(), data.uid, data.gid], [true, 65532, 65532], 'the working folder /data is not 65532\'s');
        });
      });

      if (variant.kind === 'service') {
        it('answers /healthz on its port, and -healthcheck inside the container exits 0', async () => {
          const config = await images.inspect(tag);
          await images.withContainer(tag, (c) =>
            withService(c, [...config.entrypoint, ...config.cmd], async () => {
              assert.deepEqual(await waitForHttp(`http://127.0.0.1:${port}/healthz`), { status: 200, body: 'ok' });
              const health = await c.run(config.healthcheck!.slice(1));
              assert.equal(health.exitCode, 0, health.all);
            }),
          );
        });
      } else {
        it('run on a bind-mounted folder, writes its output file there', async () => {
          const config = await images.inspect(tag);
          const data = tempDir('dockergo-data-');
          chmodSync(data, 0o777); // the image runs as 65532
          writeFileSync(path.join(data, 'input.txt'), 'from the host\n');
          const run = await images.withContainer(tag, (c) => c.run([...config.entrypoint, ...config.cmd], { volumes: { [data]: '/data' } }));
          assert.equal(run.exitCode, 0, run.all);
          assert.equal(readFileSync(path.join(data, 'output.txt'), 'utf8'), 'FROM THE HOST\n');
          cleanup(data);
        });
      }

      it('holds no Go toolchain, source or go.mod; a static binary; a CA bundle', async () => {
        const config = await images.inspect(tag);
        await images.withContainer(tag, async (c) => {
          const root = await c.rootfs();
          const files = imageFiles(root);
          assert.deepEqual(files.filter((f) => /\.go$|\/go\.(mod|sum)$|\/(go|gofmt)$|^\/usr\/local\/go\//.test(f)), []);
          assert.ok(existsInImage(root, '/etc/ssl/certs/ca-certificates.crt'), 'no CA bundle');
          const elf = readElf(path.join(root, binary));
          assert.ok(elf.isStatic, 'the binary is dynamically linked');
          assert.equal(elf.machine, 'x86-64');
          const binarySize = readFileSync(path.join(root, binary)).length;
          logOnce(`${variantLabel(variant)}: image ${mb(config.size)}, binary ${mb(binarySize)}`);
        });
      });

      if (variant.base === 'distroless') {
        it('distroless: on its base (the stand-in), no shell, with tzdata and the nonroot user', async () => {
          const config = await images.inspect(tag);
          assert.equal(config.labels['dev.dockergo.standin'] !== undefined, true, 'the runtime is not the distroless stand-in');
          await images.withContainer(tag, async (c) => {
            const root = await c.rootfs();
            assert.ok(!existsInImage(root, '/bin/sh') && !existsInImage(root, '/bin/busybox'), 'a shell in a distroless image');
            assert.ok(existsInImage(root, '/usr/share/zoneinfo/Europe/Berlin'), 'no tzdata');
            assert.match(readFileSync(path.join(root, 'etc/passwd'), 'utf8'), /^nonroot:x:65532:65532:/m);
          });
        });
      }
    });
  }

  describe('stages and cache (scratch service)', () => {
    let dir = '';
    const tag = 'localhost/dockergo-e2e-stages:test';
    before(async () => {
      dir = await project({ base: 'scratch', name: 'stages' });
      await buildImage(dir, tag);
    });
    after(() => cleanup(dir));

    it('--target test passes, and fails once a test in the project is broken', async () => {
      await images.build(dir, { target: 'test' });
      const test = path.join(dir, 'main_test.go');
      const good = read(dir, 'main_test.go');
      writeFileSync(test, good.replace('if code != http.StatusOK || body != "ok" {', 'if code != http.StatusOK || body != "broken" {'));
      try {
        await assert.rejects(images.build(dir, { target: 'test' }), /TestHealthz/);
      } finally {
        writeFileSync(test, good);
      }
    });

    it('--target artifact --output exports the executable binary alone', async () => {
      const out = tempDir('dockergo-artifact-');
      await images.build(dir, { target: 'artifact', output: out, buildArgs: { VERSION: 'v1.0.0' } });
      const version = await execa(path.join(out, 'stages'), ['-version']);
      assert.equal(version.stdout, 'stages v1.0.0');
      cleanup(out);
    });

    it('after a README edit, a rebuild re-runs zero steps', async () => {
      writeFileSync(path.join(dir, 'README.md'), `${read(dir, 'README.md')}\nAn edit.\n`);
      const rebuild = await buildImage(dir, tag);
      assert.ok(rebuild.steps > 10, `counted only ${rebuild.steps} steps`);
      assert.equal(rebuild.steps - rebuild.cached, 0, rebuild.log);
    });

    it('after a .go edit, the dependency download is still cached', async () => {
      writeFileSync(path.join(dir, 'main.go'), `${read(dir, 'main.go')}\n// An edit.\n`);
      const rebuild = await buildImage(dir, tag);
      assert.match(rebuild.log, /go mod download [^\n]*\n--> Using cache/);
      assert.ok(rebuild.steps - rebuild.cached > 0, 'a .go edit re-ran nothing');
    });
  });

  describe('multi-arch', () => {
    it('cross-compiles for linux/arm64 without emulation: an AArch64 binary in an arm64 image', async () => {
      const dir = await project({ base: 'scratch', name: 'armapp' });
      const tag = 'localhost/dockergo-e2e-arm64:test';
      await buildImage(dir, tag, { platform: 'linux/arm64' });
      const config = await images.inspect(tag);
      assert.equal(config.architecture, 'arm64');
      await images.withContainer(tag, async (c) => {
        const elf = readElf(path.join(await c.rootfs(), '/usr/local/bin/armapp'));
        assert.equal(elf.machine, 'aarch64');
        assert.ok(elf.isStatic);
      });
      cleanup(dir);
    });
  });

  describe('private modules', () => {
    it('the netrc secret reaches no layer of the runtime, builder or test image', async () => {
      const marker = `dockergo-secret-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const visible = `dockergo-visible-${Date.now()}`;
      const dir = await project({ base: 'alpine', name: 'private', goprivate: 'git.acme.example/*', config: ['app.conf'] });
      // A positive control: the same search must find a marker that is meant to be in the image.
      writeFileSync(path.join(dir, 'app.conf'), `# ${visible}\n`);
      const netrc = path.join(tempDir('dockergo-netrc-'), 'netrc');
      writeFileSync(netrc, `machine git.acme.example login ci password ${marker}\n`);
      const secrets = { netrc };
      const tags = { runtime: 'localhost/dockergo-e2e-private:test', builder: 'localhost/dockergo-e2e-private-builder:test', test: 'localhost/dockergo-e2e-private-test:test' };
      await buildImage(dir, tags.runtime, { secrets });
      await buildImage(dir, tags.builder, { secrets, target: 'builder' });
      await buildImage(dir, tags.test, { secrets, target: 'test' });
      for (const [stage, tag] of Object.entries(tags)) {
        await images.withContainer(tag, async (c) => {
          const root = await c.rootfs();
          assert.deepEqual(filesContaining(root, marker), [], `the secret is in the ${stage} image`);
          if (stage === 'runtime') assert.deepEqual(filesContaining(root, visible), ['/etc/private/app.conf']);
        });
      }
      cleanup(dir);
      cleanup(path.dirname(netrc));
    });
  });

  describe('reproducible builds', () => {
    // Two clean builds of one project with one SOURCE_DATE_EPOCH (buildah --timestamp).
    let dir = '';
    const epoch = 1_700_000_000;
    before(async () => (dir = await project({ base: 'scratch', name: 'repro' })));
    after(() => cleanup(dir));

    async function twice(format: 'docker' | 'oci') {
      const configs = [];
      const binaries: string[] = [];
      for (const n of [1, 2]) {
        const tag = `localhost/dockergo-e2e-repro-${format}-${n}:test`;
        await buildImage(dir, tag, { noCache: true, timestamp: epoch, format });
        configs.push(await images.inspect(tag));
        await images.withContainer(tag, async (c) => {
          const bytes = readFileSync(path.join(await c.rootfs(), '/usr/local/bin/repro'));
          binaries.push(createHash('sha256').update(bytes).digest('hex'));
        });
      }
      return { configs, binaries };
    }

    it('give the same binary and the same layers (docker format, as shipped)', async () => {
      const { configs, binaries } = await twice('docker');
      assert.equal(binaries[0], binaries[1], 'binary sha256 differs');
      assert.ok(configs[0]!.layers.length > 0);
      assert.deepEqual(configs[0]!.layers, configs[1]!.layers);
      logOnce(`reproducible: binary sha256 ${binaries[0]}; ${configs[0]!.layers.length} identical layers`);
    });

    it('give the same image digest in OCI format', async () => {
      // buildah 1.28's docker-format config records the random build container's ID and
      // hostname, so only its OCI config is byte-identical; BuildKit needs neither caveat.
      const { configs } = await twice('oci');
      assert.equal(configs[0]!.id, configs[1]!.id, 'image IDs differ');
      logOnce(`reproducible: OCI image ${configs[0]!.id}`);
    });
  });

  describe('a preset and existing modules', () => {
    /** Builds dir's image and serves it from its own ENTRYPOINT and CMD while `use` runs. */
    async function serve(dir: string, tag: string, use: (c: Container) => Promise<void>): Promise<void> {
      await buildImage(dir, tag);
      const config = await images.inspect(tag);
      await images.withContainer(tag, (c) => withService(c, [...config.entrypoint, ...config.cmd], () => use(c)));
    }

    it('the example preset (mirror images pinned by digest) builds and runs', async () => {
      const port = await freePort();
      const dir = await project({ preset: path.join(PACKAGE_ROOT, 'examples/acme-preset'), name: 'acme', port: String(port) });
      await serve(dir, 'localhost/dockergo-e2e-acme:test', async (c) => {
        assert.deepEqual(await waitForHttp(`http://127.0.0.1:${port}/healthz`), { status: 200, body: 'ok' });
        assert.equal((await c.run(['/usr/local/bin/acme', '-healthcheck'], { env: { PORT: String(port) } })).exitCode, 0);
      });
      const labels = (await images.inspect('localhost/dockergo-e2e-acme:test')).labels;
      assert.equal(labels['com.acme.team'], 'platform');
      cleanup(dir);
    });

    it('dockergo:docker on a root-main module with real dependencies: the image serves its embedded page', async () => {
      const dir = await greeterModule();
      const port = await freePort();
      await dockerGenerate(dir, { port: String(port) });
      await prepareBases(dir);
      await serve(dir, 'localhost/dockergo-e2e-greeter:test', async () => {
        assert.deepEqual(await waitForHttp(`http://127.0.0.1:${port}/`, 10_000), { status: 200, body: '<h1>greeter</h1>\n' });
      });
      await images.build(dir, { target: 'test' });
      cleanup(dir);
    });

    it('dockergo:docker --main ./cmd/api: the image serves, and its -healthcheck passes', async () => {
      const dir = shopModule();
      const port = await freePort();
      await dockerGenerate(dir, { main: './cmd/api' });
      await prepareBases(dir);
      // This program takes its port from PORT only: run it on a free one.
      await buildImage(dir, 'localhost/dockergo-e2e-shop:test');
      const config = await images.inspect('localhost/dockergo-e2e-shop:test');
      assert.deepEqual(config.healthcheck, ['CMD', '/usr/local/bin/api', '-healthcheck']);
      await images.withContainer('localhost/dockergo-e2e-shop:test', async (c) => {
        const server = c.run([...config.entrypoint, ...config.cmd], { env: { PORT: String(port) } });
        try {
          assert.deepEqual(await waitForHttp(`http://127.0.0.1:${port}/items`), { status: 200, body: '3' });
          assert.equal((await c.run(config.healthcheck!.slice(1), { env: { PORT: String(port) } })).exitCode, 0);
        } finally {
          server.kill('SIGTERM');
          await server;
        }
      });
      cleanup(dir);
    });
  });

  describe('build.sh on a real builder', () => {
    it('fills org.opencontainers.image.version and revision from git', async () => {
      const dir = await project({ base: 'scratch', name: 'labelled' });
      const git = (...args: string[]) => execa('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir });
      await git('init', '-q');
      await git('add', '-A');
      await git('commit', '-q', '-m', 'first');
      await git('tag', 'v2.3.4');
      const revision = (await git('rev-parse', 'HEAD')).stdout.trim();
      made.push('labelled:v2.3.4');
      // buildah on the run's own storage, where the stand-in bases are.
      const env = { DOCKER: 'buildah', ...(await containersEnv()), VERSION: '' };
      await execa('./build.sh', ['build'], { cwd: dir, env });
      const labels = (await images.inspect('labelled:v2.3.4')).labels;
      assert.equal(labels['org.opencontainers.image.version'], 'v2.3.4');
      assert.equal(labels['org.opencontainers.image.revision'], revision);
      assert.match(labels['org.opencontainers.image.created'] ?? '', /^\d{4}-\d\d-\d\dT/);
      cleanup(dir);
    });
  });
});
