// dockergo:docker on existing modules: what it reads, what it writes, what it never touches.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { load as loadYaml } from 'js-yaml';
import helpers from 'yeoman-test';
import { checkDockerfile } from './support/dockerfile-rules.js';
import { packedPackage } from './support/packed.js';
import { greeterModule, goSources, SERVICE_MAIN, shopModule, writeModule } from './support/modules.js';
import { cleanup, listFiles, PACKAGE_ROOT, read, tempDir } from './support/project.js';

const DOCKER_GENERATOR = path.join(PACKAGE_ROOT, 'generators/docker/index.js');

/** yeoman-test turns --force on by default; these tests want Yeoman's real default, off. */
/** A string as a RegExp that matches it literally. */
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function runDocker(dir: string, options: Record<string, unknown>) {
  return helpers.run(DOCKER_GENERATOR, { namespace: 'dockergo:docker' }).cd(dir).withOptions({ skipInstall: true, force: false, ...options } as never);
}

async function failing(dir: string, options: Record<string, unknown>): Promise<Error> {
  return runDocker(dir, { yes: true, ...options }).then(
    () => assert.fail('dockergo:docker succeeded'),
    (error: Error) => error,
  );
}

describe('dockergo:docker', function () {
  this.timeout(120_000);
  let greeter = '';
  before(async () => {
    greeter = await greeterModule();
  });
  after(() => cleanup(greeter));

  describe('on a module with its main package at the root', () => {
    let sourcesBefore: Record<string, string> = {};
    let files: string[] = [];
    let existing: string[] = [];
    before(async () => {
      sourcesBefore = goSources(greeter);
      existing = listFiles(greeter);
      await runDocker(greeter, { yes: true, port: '8090' });
      files = listFiles(greeter);
    });

    it('writes only Dockerfile, .dockerignore, build.sh, compose.yaml and (there being none) a Makefile', () => {
      const added = files.filter((f) => !existing.includes(f));
      assert.deepEqual(added.sort(), ['.dockerignore', '.yo-rc.json', 'Dockerfile', 'Makefile', 'build.sh', 'compose.yaml']);
      assert.equal(read(greeter, 'README.md'), '# greeter\n');
    });

    it('changes no .go file, go.mod or go.sum', () => {
      assert.ok(Object.keys(sourcesBefore).includes('go.sum'));
      assert.deepEqual(goSources(greeter), sourcesBefore);
    });

    it('reads the module path and go version, and builds the root package', () => {
      const dockerfile = read(greeter, 'Dockerfile');
      assert.match(dockerfile, /^ARG GO_VERSION=1\.26$/m);
      assert.match(dockerfile, /-o \/out\/greeter \.$/m);
      assert.match(read(greeter, 'build.sh'), /^readonly NAME=greeter$/m);
      assert.equal(JSON.parse(read(greeter, '.yo-rc.json'))['generator-dockergo'].module, 'example.com/legacy/greeter');
    });

    it('allows into the context exactly what the layout needs: packages and embedded files', () => {
      assert.deepEqual(read(greeter, '.dockerignore').split('\n').filter((l) => l.startsWith('!')), [
        '!go.mod', '!go.sum', '!*.go', '!internal/', '!static/',
      ]);
    });

    it('leaves HEALTHCHECK out, since the program has no -healthcheck flag, but exposes the port', () => {
      const dockerfile = read(greeter, 'Dockerfile');
      assert.doesNotMatch(dockerfile, /HEALTHCHECK/);
      assert.match(dockerfile, /^EXPOSE 8090$/m);
      assert.match(dockerfile, /^ENV PORT=8090$/m);
      assert.deepEqual(checkDockerfile(dockerfile, { port: 8090 }), []);
    });
  });

  describe('on a module with cmd/api and cmd/worker', () => {
    it('--yes without --main fails, listing them, and writes nothing', async () => {
      const dir = shopModule();
      const files = listFiles(dir);
      const error = await failing(dir, {});
      assert.equal(error.message, 'several main packages (./cmd/api, ./cmd/worker): pick one with --main, e.g. --main ./cmd/api');
      assert.deepEqual(listFiles(dir), files);
    });

    it('--main ./cmd/api: builds it, with a HEALTHCHECK and -config, and keeps the Makefile', async () => {
      const dir = shopModule();
      mkdirSync(path.join(dir, 'config'));
      writeFileSync(path.join(dir, 'config/api.yaml'), 'listen: 8080\n');
      const sources = goSources(dir);
      await runDocker(dir, { yes: true, main: './cmd/api', config: ['config/api.yaml'] });
      const dockerfile = read(dir, 'Dockerfile');
      assert.match(dockerfile, /-o \/out\/api \.\/cmd\/api$/m);
      assert.match(dockerfile, /^HEALTHCHECK .* CMD \["\/usr\/local\/bin\/api", "-healthcheck"\]$/m);
      assert.match(dockerfile, /^CMD \["-config", "\/etc\/api\/config\/api\.yaml"\]$/m);
      assert.equal(read(dir, 'Makefile'), 'all:\n\tgo build ./...\n');
      assert.ok(read(dir, '.dockerignore').split('\n').includes('!config/api.yaml'));
      assert.deepEqual(goSources(dir), sources);
    });

    it('--main cmd/worker (no ./) picks it; a cli gets no EXPOSE', async () => {
      const dir = shopModule();
      await runDocker(dir, { yes: true, main: 'cmd/worker', kind: 'cli' });
      const dockerfile = read(dir, 'Dockerfile');
      assert.match(dockerfile, /-o \/out\/worker \.\/cmd\/worker$/m);
      assert.doesNotMatch(dockerfile, /EXPOSE|HEALTHCHECK/);
    });

    it('asks which main package when there are several, and never asks for module, layout or go version', async () => {
      const dir = shopModule();
      const asked: string[] = [];
      await runDocker(dir, { yes: false }).withAnswers(
        { main: './cmd/worker', kind: 'cli' },
        { callback: (answer: unknown, { question }: { question: { name: string } }) => (asked.push(question.name), answer) },
      );
      assert.equal(asked[0], 'main');
      assert.ok(!asked.some((q) => ['module', 'layout', 'goVersion'].includes(q)), asked.join());
      assert.match(read(dir, 'Dockerfile'), /\.\/cmd\/worker$/m);
    });

    it('a --main that is not a main package is an error', async () => {
      const error = await failing(shopModule(), { main: './internal/store' });
      assert.equal(error.message, '--main: "./internal/store" is not a main package of this module (found: ./cmd/api, ./cmd/worker)');
    });
  });

  it('an older go directive is used as is, and a re-run still works', async () => {
    const dir = shopModule();
    writeFileSync(path.join(dir, 'go.mod'), 'module example.com/legacy/shop\n\ngo 1.20\n');
    await runDocker(dir, { yes: true, main: './cmd/worker', kind: 'cli' });
    assert.match(read(dir, 'Dockerfile'), /^ARG GO_VERSION=1\.20$/m);
    await runDocker(dir, { yes: true });
    assert.match(read(dir, 'Dockerfile'), /^ARG GO_VERSION=1\.20$/m);
    assert.match(read(dir, 'Dockerfile'), /\.\/cmd\/worker$/m);
  });

  it('without go.mod it says to run the app generator, and writes nothing', async () => {
    const dir = tempDir();
    const error = await failing(dir, {});
    assert.match(error.message, /^no go\.mod in \S+: dockergo:docker adds container files to an existing Go module; to start a new service run `generator-dockergo`/);
    assert.deepEqual(listFiles(dir), []);
  });

  it('never overwrites an existing Dockerfile silently: --yes stops, --force overwrites', async () => {
    const dir = shopModule();
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    const error = await failing(dir, { main: './cmd/api' });
    assert.equal(error.message, 'Dockerfile exists with other content: run interactively to decide file by file, or add --force to overwrite');
    assert.equal(read(dir, 'Dockerfile'), 'FROM scratch\n');
    assert.ok(!listFiles(dir).includes('build.sh'));
    await runDocker(dir, { yes: true, main: './cmd/api', force: true });
    assert.match(read(dir, 'Dockerfile'), /AS runtime/);
  });

  it('a preset applies, but its overlays can never write Go sources or module files', async () => {
    const dir = shopModule();
    const sources = goSources(dir);
    const preset = tempDir('preset-');
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ locked: { goproxy: 'https://goproxy.acme.internal,direct' } }));
    mkdirSync(path.join(preset, 'templates'));
    const overlays = { 'main.go.ejs': 'package main\n', 'go.sum.ejs': '', 'notes.txt.ejs': '<%- name %>\n' };
    for (const [file, text] of Object.entries(overlays)) writeFileSync(path.join(preset, 'templates', file), text);
    await runDocker(dir, { yes: true, main: './cmd/api', preset });
    assert.match(read(dir, 'Dockerfile'), /goproxy\.acme\.internal/);
    assert.equal(read(dir, 'notes.txt'), 'api\n');
    assert.deepEqual(goSources(dir), sources);
    assert.ok(!listFiles(dir).includes('main.go'));
  });

  describe('the program as its authors wrote it', () => {
    const module = (files: Record<string, string>) => writeModule({ 'go.mod': 'module example.com/acme/tool\n\ngo 1.26\n', ...files });
    const stamp = (dir: string) => /-ldflags="([^"]*)"/.exec(read(dir, 'Dockerfile'))?.[1];
    const makeStamp = (dir: string) => /-ldflags "([^"]*)"/.exec(read(dir, 'Makefile'))?.[1];

    it('stamps the main package\'s own version variable, whatever its case, in the Dockerfile and the Makefile', async () => {
      const dir = module({ 'main.go': 'package main\n\nimport "fmt"\n\n// Version is set at link time.\nvar Version string\n\nfunc main() { fmt.Println(Version) }\n' });
      await runDocker(dir, { yes: true, kind: 'cli' });
      assert.equal(stamp(dir), '-s -w -X main.Version=${VERSION}');
      assert.equal(makeStamp(dir), '-s -w -X main.Version=$(VERSION)');
    });

    it('stamps a version package of the module that the main imports, initialised to a constant', async () => {
      const dir = module({
        'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/acme/tool/pkg/version"\n)\n\nfunc main() { fmt.Println(version.VERSION) }\n',
        'pkg/version/version.go': 'package version\n\nconst unknown = "unknown"\n\n// VERSION is set at link time.\nvar VERSION = unknown\n',
      });
      await runDocker(dir, { yes: true, kind: 'cli' });
      assert.equal(stamp(dir), '-s -w -X example.com/acme/tool/pkg/version.VERSION=${VERSION}');
    });

    it('stamps nothing, and says so, when there is no version variable -X can set, or several', async () => {
      const cases: [string, Record<string, string>, RegExp][] = [
        ['none', { 'main.go': 'package main\n\nfunc main() {}\n' }, /has no package-level string variable named version/],
        ['a computed one', { 'main.go': 'package main\n\nimport "runtime/debug"\n\nvar version = read()\n\nfunc read() string { i, _ := debug.ReadBuildInfo(); return i.Main.Version }\n\nfunc main() { _ = version }\n' }, /has no package-level string variable/],
        ['a constant', { 'main.go': 'package main\n\nconst Version = "1.0"\n\nfunc main() { _ = Version }\n' }, /has no package-level string variable/],
        ['a local one', { 'main.go': 'package main\n\nimport "flag"\n\nfunc main() { version := flag.Bool("version", false, ""); _ = version }\n' }, /has no package-level string variable/],
        ['several', {
          'main.go': 'package main\n\nimport "example.com/acme/tool/internal/version"\n\nvar version = "dev"\n\nfunc main() { _, _ = version, version.Version }\n',
          'internal/version/v.go': 'package version\n\n// Version is the release.\nvar Version = "dev"\n',
        }, /has several version variables \(main\.version, example\.com\/acme\/tool\/internal\/version\.Version\)/],
      ];
      for (const [what, files, note] of cases) {
        const dir = module(files);
        const run = await execa((await packedPackage()).bin, ['docker', '--yes', '--kind', 'cli'], { cwd: dir, all: true });
        assert.equal(stamp(dir), '-s -w', what);
        assert.equal(makeStamp(dir), '-s -w', what);
        assert.match(run.all, /^\s*info no version stamp: \. .*, so the build sets none \(-X\)/m, what);
        assert.match(run.all, note, what);
      }
    });

    it('an existing cli gets no default arguments: with none given its image runs it bare', async () => {
      const dir = module({ 'main.go': 'package main\n\nfunc main() {}\n' });
      await runDocker(dir, { yes: true, kind: 'cli' });
      const dockerfile = read(dir, 'Dockerfile');
      assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/local\/bin\/tool"\]$/m);
      assert.doesNotMatch(dockerfile, /^CMD /m);
      assert.doesNotMatch(dockerfile, /input\.txt/);
    });

    it('--args: split as a shell would, then quoted for the Dockerfile, compose.yaml, the Makefile and .yo-rc.json', async () => {
      const dir = module({ 'main.go': SERVICE_MAIN });
      const args = `run --server --addr 0.0.0.0:8181 '--label=a b' "--domain=*" --price='$5' --tag=#1`;
      await runDocker(dir, { yes: true, port: '8181', args });
      const words = ['run', '--server', '--addr', '0.0.0.0:8181', '--label=a b', '--domain=*', '--price=$5', '--tag=#1'];
      assert.match(read(dir, 'Dockerfile'), new RegExp(`^CMD ${escape(JSON.stringify(words).replaceAll('","', '", "'))}$`, 'm'));
      const compose = loadYaml(read(dir, 'compose.yaml')) as { services: Record<string, { command: string[] }> };
      // Compose interpolates $: "$5" is written "$$5", which compose reads back as "$5".
      assert.deepEqual(compose.services['tool']!.command, words.map((w) => w.replaceAll('$', '$$$$')));
      const make = await execa('make', ['-s', '-f', '-', 'print'], { cwd: dir, input: `${read(dir, 'Makefile')}\nprint:\n\t@printf '%s\\n' $(ARGS)\n` });
      assert.deepEqual(make.stdout.split('\n'), words);
      // make run passes them to the local binary; make docker-run leaves the image's CMD alone unless ARGS is given.
      const dryRun = async (args: string[]) => (await execa('make', ['-n', ...args], { cwd: dir })).stdout;
      assert.match(await dryRun(['run']), /^\.\/bin\/tool run --server --addr 0\.0\.0\.0:8181 '--label=a b'/m);
      assert.match(await dryRun(['docker-run']), /\.\/build\.sh run $/m);
      assert.match(await dryRun(['docker-run', 'ARGS=--debug']), /\.\/build\.sh run --debug$/m);
      assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].args, `run --server --addr 0.0.0.0:8181 '--label=a b' '--domain=*' '--price=$5' '--tag=#1'`);
    });

    it('asks for the default arguments (the app generator does not: its prompt test lists what it asks)', async () => {
      const dir = module({ 'main.go': SERVICE_MAIN });
      const asked: string[] = [];
      await runDocker(dir, { yes: false }).withAnswers(
        { kind: 'service', args: '--listen 0.0.0.0:8080' },
        { callback: (answer: unknown, { question }: { question: { name: string } }) => (asked.push(question.name), answer) },
      );
      assert.ok(asked.includes('args'), asked.join());
      assert.match(read(dir, 'Dockerfile'), /^CMD \["--listen", "0\.0\.0\.0:8080"\]$/m);
    });

    it('a main in a folder with a generic name is named after its module', async () => {
      for (const [main, name] of [['./examples/base', 'pocket'], ['./cmd/server', 'pocket'], ['./cmd/pocketctl', 'pocketctl']]) {
        const dir = writeModule({ 'go.mod': 'module github.com/acme/pocket/v2\n\ngo 1.26\n', 'examples/base/main.go': SERVICE_MAIN, 'cmd/server/main.go': SERVICE_MAIN, 'cmd/pocketctl/main.go': SERVICE_MAIN });
        await runDocker(dir, { yes: true, main });
        assert.match(read(dir, 'build.sh'), new RegExp(`^readonly NAME=${name}$`, 'm'), main);
      }
    });
  });
});
