// The second corpus: real programs from the Go module proxy, containerised with
// `generator-dockergo docker` and run as their authors meant them to run. Each image is run
// with no `docker run` arguments at all (no -e, no -p, no program arguments): what it does then
// is what its defaults, and the --args given at generation time, make it do. It is reached on
// the test engine's own bridge. Modules that cannot work are refused before anything is
// written, in one line. The README's second corpus table is this list.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { moduleBase } from '../../generators/lib/rules/index.js';
import { engines, type Engines } from '../support/engines/engines.js';
import { checkoutModule, goSources } from '../support/modules.js';
import { expectRefused, packedPackage } from '../support/packed.js';
import { cleanup, listFiles, read } from '../support/project.js';
import { waitForHttp } from '../support/service.js';
import { PROGRAMS, VERSION, type ProgramModule } from '../support/programs.js';
import { basesOf, logOnce } from '../support/variants.js';

const label = (m: ProgramModule): string => `${m.module}@${m.version}`;

describe('second corpus: real programs, run as their authors meant, with no docker run arguments', function () {
  this.timeout(1_800_000);
  let e: Engines;
  let bin = '';
  const dirs: string[] = [];
  const docker = (args: string[]) => execa('docker', args, { env: e.env(), all: true, reject: false });

  before(async () => {
    ({ bin } = await packedPackage());
    e = await engines();
    logOnce(`engine: ${(await e.useEngine('today')).description}`);
  });
  after(() => dirs.forEach((d) => cleanup(path.dirname(d))));

  for (const m of PROGRAMS) {
    describe(`${label(m)}: ${m.traits.join('; ')}`, () => {
      let dir = '';
      const image = `programs-${m.module.split('/').at(-1)}-${m.version}:test`.toLowerCase().replace(/[^a-z0-9.:_-]/g, '-');
      const args = ['docker', '--yes', '--force', ...(m.main ? ['--main', m.main] : []), ...(m.flags ?? [])];
      const build = (words: string[], extra: Record<string, string> = {}) =>
        execa('./build.sh', words, { cwd: dir, env: e.env({ VERSION, IMAGE: image, ...extra }), all: true, reject: false });

      before(async () => {
        dir = await checkoutModule(m.module, m.version, moduleBase(m.module));
        dirs.push(dir);
      });

      if (m.refused) {
        it('is refused before anything is written, in one line', async () => {
          await expectRefused(bin, dir, args, m.refused!);
        });
        return;
      }

      it('generator-dockergo docker writes the container files, touching no Go file', async () => {
        const sources = goSources(dir);
        const hadMakefile = listFiles(dir).includes('Makefile');
        const generated = await execa(bin, args, { cwd: dir, all: true, reject: false });
        assert.equal(generated.exitCode, 0, String(generated.all));
        assert.deepEqual(goSources(dir), sources);
        assert.equal(hadMakefile, !m.noMakefile, 'the corpus says whether the module has a Makefile');
        if (m.notice) assert.match(String(generated.all), m.notice);
        if (m.name) assert.match(read(dir, 'build.sh'), new RegExp(`^readonly NAME=${m.name}$`, 'm'));
        const dockerfile = read(dir, 'Dockerfile');
        const stamp = /-ldflags="([^"]*)"/.exec(dockerfile)?.[1];
        assert.equal(stamp, `-s -w${m.versionSymbol ? ` -X ${m.versionSymbol}=\${VERSION}` : ''}`);
        if (!m.generateOnly) for (const line of await e.prepareBases(basesOf(dockerfile).refs)) logOnce(line);
      });

      if (m.generateOnly) return;

      it('./build.sh build builds the image', async () => {
        const started = Date.now();
        const result = await build(['build']);
        assert.equal(result.exitCode, 0, result.all.slice(-4000));
        const size = Number((await docker(['image', 'inspect', '--format', '{{.Size}}', image])).stdout.trim());
        logOnce(`${label(m)}: built in ${((Date.now() - started) / 1000).toFixed(0)} s, image ${(size / 1e6).toFixed(1)} MB`);
      });

      const run = m.run!;
      if (run.kind === 'cli') {
        it('docker run IMAGE, with no arguments, does what the program does with none', async () => {
          const result = await docker(['run', '--rm', image]);
          assert.match(result.all, run.output, `exit ${result.exitCode}: ${result.all.slice(-2000)}`);
        });
      } else {
        it(`docker run IMAGE, with no arguments, serves ${run.path} on its port ${run.port}`, async () => {
          await withContainer(image, async (address) => {
            const reply = await waitForHttp(`http://${address}:${run.port}${run.path}`, 60_000);
            assert.equal(reply.status, 200);
            if (run.body) assert.match(reply.body, run.body);
          });
        });
      }

      if (m.printsVersion) {
        const { args: versionArgs, output } = m.printsVersion;
        it(`the version reaches the program through ${m.versionSymbol}`, async () => {
          const result = await docker(['run', '--rm', image, ...versionArgs]);
          assert.match(result.all, output, result.all);
        });
      }

      if (m.writesWorkdir) {
        it('control: the same image with a root-owned working folder fails as it did before', async () => {
          const dockerfile = read(dir, 'Dockerfile');
          const rootOwned = dockerfile.replace(/^COPY --from=builder --chown=65532:65532 \/out\/data /m, 'COPY --from=builder /out/data ');
          assert.notEqual(rootOwned, dockerfile);
          writeFileSync(path.join(dir, 'Dockerfile'), rootOwned);
          try {
            const built = await build(['build'], { IMAGE: `${image}-control` });
            assert.equal(built.exitCode, 0, built.all.slice(-3000));
            const result = await docker(['run', '--rm', `${image}-control`]);
            assert.notEqual(result.exitCode, 0);
            assert.match(result.all, m.writesWorkdir!);
          } finally {
            writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
            await docker(['rmi', '--force', `${image}-control`]);
          }
        });
      }

      if (m.noMakefile) {
        it('the generated Makefile works on it: make build stamps the version, make docker-build builds the image', async () => {
          const local = await execa('make', ['build', `VERSION=${VERSION}`], { cwd: dir, all: true, reject: false, env: { GOFLAGS: '', GOTOOLCHAIN: 'local' } });
          assert.equal(local.exitCode, 0, local.all);
          const name = /^NAME\s*:= (\S+)$/m.exec(read(dir, 'Makefile'))![1]!;
          const printed = await execa(path.join(dir, 'bin', name), m.printsVersion!.args, { all: true, reject: false });
          assert.match(printed.all, m.printsVersion!.output);
          await docker(['rmi', '--force', image]);
          const viaMake = await execa('make', ['docker-build', `VERSION=${VERSION}`], { cwd: dir, all: true, reject: false, env: e.env({ IMAGE: image }) });
          assert.equal(viaMake.exitCode, 0, viaMake.all.slice(-3000));
          assert.equal((await docker(['image', 'inspect', image])).exitCode, 0, 'make docker-build left no image');
        });
      }

      after(async () => {
        await docker(['rmi', '--force', image]);
      });
    });
  }

  /** Runs the image with no arguments and gives its address on the engine's bridge; removes it after. */
  async function withContainer(ref: string, use: (address: string) => Promise<void>): Promise<void> {
    const started = await docker(['run', '-d', ref]);
    assert.equal(started.exitCode, 0, started.all);
    const id = started.stdout.trim();
    try {
      const address = (await docker(['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id])).stdout.trim();
      assert.match(address, /^\d+\.\d+\.\d+\.\d+$/, 'the container has no address on the bridge');
      try {
        await use(address);
      } catch (error) {
        const logs = await docker(['logs', '--tail', '30', id]);
        throw new Error(`${(error as Error).message}\ncontainer log:\n${String(logs.all)}`, { cause: error });
      }
    } finally {
      await docker(['rm', '--force', id]);
    }
  }
});
