// The generator through yeoman-test: what each input does to the files, bad input, re-runs,
// and both ways in: flags (withOptions) and prompts (withAnswers).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { equivalentCommand } from '../generators/lib/inputs/index.js';
import { isInteractive } from '../generators/lib/run/index.js';
import { INPUTS, type Answers } from '../generators/lib/inputs/index.js';
import { assertCommandReproduces, generate, generateFailing, isExecutable, listFiles, read, runApp, tempDir } from './support/project.js';

const SERVICE_FILES = [
  '.dockerignore', '.gitignore', '.yo-rc.json', 'Dockerfile', 'Makefile', 'README.md', 'build.sh', 'compose.yaml', 'go.mod',
  'main.go', 'main_test.go',
];

describe('dockergo:app on flags', () => {
  it('writes the whole service project, with an executable build.sh', async () => {
    const { dir } = await generate({ module: 'example.com/acme/hello' });
    assert.deepEqual(listFiles(dir), SERVICE_FILES);
    assert.ok(isExecutable(dir, 'build.sh'));
    assert.ok(!isExecutable(dir, 'Dockerfile'));
    const { files, ...stored } = JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'];
    assert.deepEqual(stored, {
      module: 'example.com/acme/hello', name: 'hello', kind: 'service', port: 8080, base: 'alpine', layout: 'flat',
      goproxy: 'https://proxy.golang.org,direct', goprivate: '', runtimeCa: false, config: [], args: '', goVersion: '1.26.8', compose: true, ci: 'none', deploy: 'none',
      generator: 'app', generatorVersion: '0.1.0',
    });
    // The merge base for `update`: each written file's git blob id.
    assert.deepEqual(Object.keys(files).sort(), SERVICE_FILES.filter((f) => f !== '.yo-rc.json').sort());
    const blob = execaSync('git', ['hash-object', '--stdin'], { input: read(dir, 'Dockerfile') }).stdout;
    assert.equal(files['Dockerfile'], blob);
  });

  it('--module sets go.mod; the default comes from the folder name', async () => {
    const { dir } = await generate({ module: 'github.com/acme/Billing-API' });
    assert.match(read(dir, 'go.mod'), /^module github\.com\/acme\/Billing-API\n\ngo 1\.26\.8\n$/);
    const folder = path.join(tempDir(), 'My Service');
    mkdirSync(folder);
    const { dir: dflt } = await generate({}, folder);
    assert.match(read(dflt, 'go.mod'), /^module example\.com\/my-service$/m);
  });

  it('--name defaults to the module base without /vN, and names binary, image and config folder', async () => {
    const { dir } = await generate({ module: 'example.com/acme/orders/v2' });
    assert.match(read(dir, 'build.sh'), /^readonly NAME=orders$/m);
    const { dir: named } = await generate({ module: 'example.com/x', name: 'pay-api', config: ['app.yaml'] });
    const dockerfile = read(named, 'Dockerfile');
    assert.match(dockerfile, /-o \/out\/pay-api \.$/m);
    assert.match(dockerfile, /^COPY app\.yaml \/etc\/pay-api\/app\.yaml$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/local\/bin\/pay-api"\]$/m);
    assert.match(read(named, 'main.go'), /appName {5}= "pay-api"/);
    assert.match(read(named, 'Makefile'), /^NAME {4}:= pay-api$/m);
  });

  it('--port reaches the program, EXPOSE and build.sh', async () => {
    const { dir } = await generate({ module: 'example.com/x', port: '9090' });
    assert.match(read(dir, 'main.go'), /defaultPort = 9090$/m);
    assert.match(read(dir, 'Dockerfile'), /^EXPOSE 9090$/m);
    assert.doesNotMatch(read(dir, 'Dockerfile'), /ENV PORT/);
    assert.match(read(dir, 'build.sh'), /^readonly PORT=9090$/m);
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].port, 9090);
  });

  it('--base scratch copies a CA bundle; alpine does not need to', async () => {
    const { dir: scratch } = await generate({ module: 'example.com/x', base: 'scratch' });
    const s = read(scratch, 'Dockerfile');
    assert.match(s, /^FROM scratch AS runtime$/m);
    // The builder's bundle as it was, before a CA_CERTS bundle is appended for the builder alone.
    assert.match(s, /^COPY --from=builder \/out\/ca-certificates\.crt \/etc\/ssl\/certs\/ca-certificates\.crt$/m);
    const { dir: alpine } = await generate({ module: 'example.com/x', base: 'alpine' });
    const a = read(alpine, 'Dockerfile');
    assert.match(a, /^ARG RUNTIME_IMAGE=alpine:\$\{ALPINE_VERSION\}$/m);
    assert.match(a, /^FROM \$\{RUNTIME_IMAGE\} AS runtime$/m);
    assert.doesNotMatch(s, /RUNTIME_IMAGE/);
    assert.doesNotMatch(a, /^COPY .*ca-certificates/m);
  });

  it('--goproxy becomes the GOPROXY build ARG default and never an ENV', async () => {
    const proxy = 'https://goproxy.internal.example|https://proxy.golang.org,direct';
    const { dir } = await generate({ module: 'example.com/x', goproxy: proxy });
    const dockerfile = read(dir, 'Dockerfile');
    assert.ok(dockerfile.includes(`ARG GOPROXY=${JSON.stringify(proxy)}`));
    assert.doesNotMatch(dockerfile, /^ENV .*GOPROXY/m);
  });

  it('--goprivate adds the GOPRIVATE default and git; the netrc secret mount is always there (an authenticated GOPROXY needs it)', async () => {
    const { dir } = await generate({ module: 'example.com/x', goprivate: 'git.acme.example/*' });
    const dockerfile = read(dir, 'Dockerfile');
    assert.ok(dockerfile.includes('ARG GOPRIVATE="git.acme.example/*"'));
    assert.match(dockerfile, /^RUN apk add --no-cache git$/m);
    assert.match(dockerfile, /--mount=type=secret,id=netrc,target=\/root\/\.netrc/);
    assert.match(read(dir, 'build.sh'), /--secret "id=netrc,src=\$netrc"/);
    const { dir: plain } = await generate({ module: 'example.com/x' });
    assert.match(read(plain, 'Dockerfile'), /^ARG GOPRIVATE=$/m);
    assert.doesNotMatch(read(plain, 'Dockerfile'), /GOPRIVATE="|apk add/);
    assert.match(read(plain, 'Dockerfile'), /--mount=type=secret,id=netrc,target=\/root\/\.netrc/);
    assert.match(read(plain, 'build.sh'), /--secret "id=netrc,src=\$netrc"/);
  });

  it('--config (repeated and comma-separated) writes stubs, copies them and passes them with -config', async () => {
    const { dir } = await generate({ module: 'example.com/x', name: 'svc', config: ['config/app.yaml,extra.toml', 'c.json'] });
    assert.ok(listFiles(dir).includes('config/app.yaml'));
    assert.match(read(dir, 'config/app.yaml'), /^# config\/app\.yaml: configuration for svc\.$/m);
    assert.equal(read(dir, 'c.json'), '{}\n');
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /^COPY config\/app\.yaml \/etc\/svc\/config\/app\.yaml$/m);
    assert.match(dockerfile, /^COPY extra\.toml \/etc\/svc\/extra\.toml$/m);
    assert.match(
      dockerfile,
      /^CMD \["-config", "\/etc\/svc\/config\/app\.yaml", "-config", "\/etc\/svc\/extra\.toml", "-config", "\/etc\/svc\/c\.json"\]$/m,
    );
    const ignore = read(dir, '.dockerignore').split('\n');
    for (const file of ['config/app.yaml', 'extra.toml', 'c.json']) assert.ok(ignore.includes(`!${file}`), file);
  });

  it('--config keeps a config file that already exists', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'app.yaml'), 'mine: true\n');
    await generate({ module: 'example.com/x', config: ['app.yaml'] }, dir);
    assert.equal(read(dir, 'app.yaml'), 'mine: true\n');
  });

  it('--kind cli writes a SRC DST program run on a mounted /data, with no port or healthcheck', async () => {
    const { dir } = await generate({ module: 'example.com/x', name: 'conv', kind: 'cli', config: ['rules.conf'] });
    assert.match(read(dir, 'main.go'), /usage: %s \[flags\] SRC DST/);
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /^WORKDIR \/data$/m);
    assert.doesNotMatch(dockerfile, /EXPOSE|HEALTHCHECK/);
    assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/local\/bin\/conv", "-config", "\/etc\/conv\/rules\.conf"\]$/m);
    assert.match(dockerfile, /^CMD \["input\.txt", "output\.txt"\]$/m);
    assert.match(read(dir, 'build.sh'), /-v "\$PWD:\/data"/);
    assert.doesNotMatch(read(dir, 'build.sh'), /\bPORT\b/);
  });

  it('--layout cmd puts package main in cmd/<name> and re-includes cmd/ in .dockerignore', async () => {
    const { dir } = await generate({ module: 'example.com/x', name: 'api', layout: 'cmd' });
    assert.ok(existsSync(path.join(dir, 'cmd/api/main.go')));
    assert.ok(existsSync(path.join(dir, 'cmd/api/main_test.go')));
    assert.ok(!existsSync(path.join(dir, 'main.go')));
    assert.ok(read(dir, '.dockerignore').split('\n').includes('!cmd/'));
    assert.match(read(dir, 'Dockerfile'), /-o \/out\/api \.\/cmd\/api$/m);
    assert.match(read(dir, 'Makefile'), /-o bin\/\$\(NAME\) \.\/cmd\/api$/m);
    const { dir: flat } = await generate({ module: 'example.com/x', layout: 'flat' });
    assert.ok(!read(flat, '.dockerignore').split('\n').includes('!cmd/'));
  });

  it('--go-version sets go.mod and the builder image; the default is the local toolchain', async () => {
    const { dir } = await generate({ module: 'example.com/x', goVersion: '1.24.3' });
    assert.match(read(dir, 'go.mod'), /^go 1\.24\.3$/m);
    assert.match(read(dir, 'Dockerfile'), /^ARG GO_VERSION=1\.24\.3$/m);
    const local = execaSync('go', ['env', 'GOVERSION']).stdout.trim().replace(/^go/, '');
    const { dir: dflt } = await generate({ module: 'example.com/x', goVersion: undefined });
    assert.match(read(dflt, 'go.mod'), new RegExp(`^go ${local.replaceAll('.', '\\.')}$`, 'm'));
  });

  it('runs git init and go mod tidy unless --skip-install', async () => {
    const dir = tempDir();
    const result = await runApp(dir, { yes: true, module: 'example.com/x', skipInstall: false }).withSpawnMock();
    const calls = (result.getSpawnArgsUsingDefaultImplementation()).map((c) => [c[1], ...(c[2] as string[])].join(' '));
    assert.ok(calls.includes('go mod tidy'), calls.join('; '));
    assert.ok(calls.includes('git rev-parse --show-toplevel'), calls.join('; '));
    const skipped = await runApp(tempDir(), { yes: true, module: 'example.com/x', skipInstall: true })
      .withSpawnMock();
    assert.deepEqual(skipped.getSpawnArgsUsingDefaultImplementation(), []);
  });

  it('without prompts, a file edited since is an error naming it unless --force; nothing is written', async () => {
    const { dir } = await generate({ module: 'example.com/acme/edited' });
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    const error = await runApp(dir, { yes: true, skipInstall: true, force: false, port: '9999' }).then(() => undefined, (e: Error) => e);
    // A new port changes these four; the edited Dockerfile is among them.
    assert.equal(error?.message, 'main.go, Dockerfile, build.sh, compose.yaml, README.md exist with other content: run interactively to decide file by file, or add --force to overwrite');
    assert.equal(read(dir, 'Dockerfile'), 'FROM scratch\n');
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].port, 8080);
    await runApp(dir, { yes: true, skipInstall: true, force: true, port: '9999' });
    assert.match(read(dir, 'Dockerfile'), /^EXPOSE 9999$/m);
  });

  it('re-running with no flags reuses .yo-rc.json and writes identical files', async () => {
    const { dir } = await generate({ module: 'example.com/acme/again', base: 'scratch', kind: 'cli', layout: 'cmd', config: ['a.yaml'] });
    const before = Object.fromEntries(listFiles(dir).map((f) => [f, read(dir, f)]));
    await generate({ goVersion: undefined }, dir);
    const after = Object.fromEntries(listFiles(dir).map((f) => [f, read(dir, f)]));
    assert.deepEqual(after, before);
  });
});

describe('dockergo:app rejects bad input with one line and writes nothing', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['module with a space', { module: 'a b' }, /^--module: "a b" has a space at position 2: must be a Go module path/],
    ['module with ..', { module: 'example.com/../x' }, /^--module: /],
    ['module with a shell metacharacter', { module: 'example.com/x;rm' }, /^--module: /],
    ['module with /v1', { module: 'example.com/x/v1' }, /^--module: "example\.com\/x\/v1" ends with \/v1, which is no major-version suffix \(\/v2 and up\)/],
    ['name in capitals', { module: 'example.com/x', name: 'MyApp' }, /^--name: "MyApp" has the capital "M" at position 1: must be a lowercase image name/],
    ['name too long', { module: 'example.com/x', name: 'a'.repeat(64) }, /^--name: .* is 64 characters, over the limit of 63: must be/],
    ['port not a number', { port: 'http' }, /^--port: "http" is not a whole number: must be an integer from 1 to 65535$/],
    ['port 0', { port: '0' }, /^--port: "0" /],
    ['port 65536', { port: '65536' }, /^--port: "65536" /],
    ['base', { base: 'debian' }, /^--base: "debian" is not valid: must be one of "alpine", "scratch", "distroless"$/],
    ['kind', { kind: 'daemon' }, /^--kind: "daemon" is not valid: must be one of "service", "cli"$/],
    ['layout', { layout: 'src' }, /^--layout: "src" is not valid: must be one of "flat", "cmd"$/],
    ['ci', { ci: 'travis' }, /^--ci: "travis" is not valid: must be one of "none", "github"$/],
    ['goproxy scheme', { goproxy: 'ftp://proxy.example' }, /^--goproxy: "ftp:\/\/proxy\.example" has the scheme ftp:\/\/, which Go does not fetch from: must be a GOPROXY list/],
    ['goproxy with only empty entries', { goproxy: ',|,' }, /^--goproxy: /],
    ['goproxy with credentials', { goproxy: 'https://user:pass@goproxy.example' }, /^--goproxy: .*without credentials.*netrc build secret/],
    ['goprivate', { goprivate: 'a b' }, /^--goprivate: "a b" has a space at position 2: must be/],
    ['config outside the project', { config: ['../secrets.env'] }, /^--config: "\.\.\/secrets\.env" climbs out of the project \("\.\."\): must be config files: relative paths/],
    ['config absolute', { config: ['/etc/app.yaml'] }, /^--config: /],
    ['config on a generated file', { config: ['Dockerfile'] }, /^--config: "Dockerfile" /],
    ['config with a space', { config: ['my app.yaml'] }, /^--config: /],
    ['go version too old', { goVersion: '1.21' }, /^--go-version: "1\.21" is older than 1\.22: must be a Go release, as x\.y, x\.y\.z or x\.yrcN, from 1\.22/],
    ['go version malformed', { goVersion: 'latest' }, /^--go-version: "latest" /],
  ];
  for (const [what, options, message] of cases) {
    it(what, async () => {
      const { dir, error } = await generateFailing({ module: 'example.com/x', ...options });
      assert.match(error.message, message);
      assert.equal(error.message.split('\n').length, 1);
      assert.equal(error.name, 'InputError');
      assert.deepEqual(listFiles(dir), []);
    });
  }

  it('a bad value stored in .yo-rc.json', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-dockergo': { port: 99999 } }));
    const error = await runApp(dir, { yes: true, skipInstall: true }).then(() => undefined, (e: Error) => e);
    assert.match(String(error?.message), /^\.yo-rc\.json port: 99999 is over 65535: must be an integer from 1 to 65535$/);
    assert.deepEqual(listFiles(dir), ['.yo-rc.json']);
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].port, 99999);
  });

  it('a bad answer (prompts are skipped by scripts, so the answer is checked again)', async () => {
    const { dir, error } = await generateFailing({ module: undefined }, { module: 'example.com/x', port: 'eighty' });
    assert.match(error.message, /^answer to "Port to listen on": "eighty" is not a whole number: must be an integer/);
    assert.deepEqual(listFiles(dir), []);
  });
});

describe('dockergo:app on prompts', () => {
  /** Runs with scripted answers, calling each question's own validate on its answer. */
  async function prompted(answers: Record<string, unknown>, options: Record<string, unknown> = {}) {
    const asked: string[] = [];
    const verdicts: Record<string, unknown> = {};
    const dir = tempDir();
    await runApp(dir, { yes: false, skipInstall: true, goVersion: '1.26.8', ...options }).withAnswers(answers, {
        callback(answer, { question }) {
          const q = question as { name: string; validate?: (a: unknown) => unknown };
          asked.push(q.name);
          verdicts[q.name] = q.validate ? q.validate(answer) : 'no validate';
          return answer;
        },
      });
    return { dir, asked, verdicts };
  }

  it('asks every askable input, validates each answer with the input validator, and writes them', async () => {
    const answers = {
      module: 'example.com/acme/shop', name: 'shop', kind: 'service', port: '7070', base: 'scratch', layout: 'cmd',
      goproxy: 'https://goproxy.example,direct', config: 'conf/shop.yaml', compose: false, ci: 'github',
    };
    const { dir, asked, verdicts } = await prompted(answers);
    assert.deepEqual(asked, ['module', 'name', 'kind', 'port', 'base', 'layout', 'goproxy', 'config', 'compose', 'ci', 'deploy']);
    assert.ok(!existsSync(path.join(dir, 'compose.yaml')), 'compose.yaml written after answering no');
    assert.ok(existsSync(path.join(dir, '.github/workflows/ci.yml')), 'no CI workflow after answering github');
    for (const name of asked) assert.equal(verdicts[name], true, name);
    assert.match(read(dir, 'go.mod'), /^module example\.com\/acme\/shop$/m);
    assert.match(read(dir, 'cmd/shop/main.go'), /defaultPort = 7070$/m);
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /^FROM scratch AS runtime$/m);
    assert.match(dockerfile, /^COPY conf\/shop\.yaml \/etc\/shop\/conf\/shop\.yaml$/m);
    assert.ok(dockerfile.includes('ARG GOPROXY="https://goproxy.example,direct"'));
  });

  it('question validators return the rule for bad answers', async () => {
    const questions: Record<string, (a: unknown) => unknown> = {};
    await runApp(tempDir(), { yes: false, skipInstall: true, goVersion: '1.26.8' })
      .withAnswers({ module: 'example.com/x' }, {
        callback(answer: unknown, { question }: { question: unknown }) {
          const q = question as { name: string; validate: (a: unknown) => unknown };
          questions[q.name] = q.validate;
          return answer;
        },
      });
    // What is wrong first (capitalised, as Inquirer shows it under the question), then the rule.
    assert.match(String(questions['module']!('not a module')), /^Has a space at position 4: must be a Go module path/);
    assert.match(String(questions['port']!('0')), /^Is 0: must be an integer from 1 to 65535$/);
    assert.match(String(questions['name']!('Bad')), /^Has the capital "B" at position 1: must be a lowercase image name/);
    assert.match(String(questions['config']!('../x')), /^Climbs out of the project \("\.\."\): must be config files/);
    assert.match(String(questions['goproxy']!('ftp://nope')), /^Has the scheme ftp:\/\/, which Go does not fetch from: must be a GOPROXY list/);
  });

  it('does not ask what flags gave, nor the port of a cli', async () => {
    const { asked } = await prompted({ kind: 'cli' }, { module: 'example.com/x', base: 'alpine' });
    assert.ok(!asked.includes('module') && !asked.includes('base') && !asked.includes('port'), asked.join());
    assert.ok(asked.includes('kind') && asked.includes('name'));
  });

  it('the name question defaults to the module base given in the same session', async () => {
    const dir = tempDir();
    await runApp(dir, { yes: false, skipInstall: true, goVersion: '1.26.8' }).withAnswers({ module: 'example.com/team/inventory/v3' });
    assert.match(read(dir, 'build.sh'), /^readonly NAME=inventory$/m);
  });

  it('the equivalent command printed after prompts reproduces the same files', async () => {
    const answers = { module: 'example.com/acme/eq', name: 'eq', kind: 'cli', base: 'scratch', layout: 'cmd', goproxy: 'direct', config: 'a.yaml,b.yaml' };
    const { dir } = await prompted(answers);
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'] as Answers;
    const command = equivalentCommand(stored);
    assert.match(command, /^generator-dockergo --yes --module example\.com\/acme\/eq --name eq --kind cli /);
    await assertCommandReproduces(command, dir);
  });
});

describe('dockergo:app on prompts, at the edges', () => {
  /** Runs with scripted answers; returns what each question offered as its default, and the printed lines. */
  async function offered(dir: string, answers: Record<string, unknown>, options: Record<string, unknown> = {}) {
    const defaults: Record<string, unknown> = {};
    const printed: string[] = [];
    await runApp(dir, { yes: false, skipInstall: true, goVersion: '1.26.8', ...options })
      .withAnswers(answers, {
        callback(answer, { question }) {
          const q = question as { name: string; default?: unknown };
          defaults[q.name] = typeof q.default === 'function' ? (q.default as (a: object) => unknown)({}) : q.default;
          return answer;
        },
      })
      .onGenerator((generator) => {
        const g = generator as unknown as { log: (...a: unknown[]) => unknown };
        g.log = new Proxy(g.log, { apply: (target, self, args) => (printed.push(String(args[0])), Reflect.apply(target, self, args)) });
      });
    return { defaults, printed: printed.join('\n') };
  }

  it('a default its validator refuses (a folder named aux) is not offered', async () => {
    const dir = path.join(tempDir(), 'aux');
    mkdirSync(dir);
    const { defaults } = await offered(dir, { module: 'example.com/auxiliary' });
    assert.equal(defaults['module'], undefined);
    assert.equal(defaults['name'], 'auxiliary');
  });

  it('the equivalent command after a cli run carries no --port or --compose, which a cli ignores', async () => {
    const { printed } = await offered(tempDir(), { module: 'example.com/tool', kind: 'cli' });
    const command = printed.split('\n').find((l) => l.trim().startsWith('generator-dockergo --yes'));
    assert.ok(command, printed);
    assert.match(command, /--kind cli/);
    assert.doesNotMatch(command, /--port|compose/);
  });

  it('the compose question is yes/no, defaulting to a preset\'s default; a no is printed as --no-compose', async () => {
    const preset = tempDir('preset-');
    writeFileSync(path.join(preset, 'preset.json'), JSON.stringify({ defaults: { compose: false } }));
    const dir = tempDir();
    const { defaults, printed } = await offered(dir, { module: 'example.com/svc' }, { preset });
    assert.equal(defaults['compose'], false);
    assert.ok(!existsSync(path.join(dir, 'compose.yaml')));
    assert.match(printed, /generator-dockergo --yes .*--no-compose/);
    const { defaults: plain } = await offered(tempDir(), { module: 'example.com/svc' });
    assert.equal(plain['compose'], true);
  });
});

describe('interactivity', () => {
  it('--yes turns prompts off, --no-yes on; otherwise a TTY without CI prompts', () => {
    assert.equal(isInteractive({ yes: true }, {}, true), false);
    assert.equal(isInteractive({ yes: false }, { CI: 'true' }, false), true);
    assert.equal(isInteractive({}, {}, true), true);
    assert.equal(isInteractive({}, {}, false), false);
    assert.equal(isInteractive({}, { CI: 'true' }, true), false);
    assert.equal(isInteractive({}, { CI: 'false' }, true), true);
  });
});

// Keep the README's promise about where answers live honest.
describe('.yo-rc.json', () => {
  it('stores exactly the inputs of the table, and the record update needs', async () => {
    const { dir } = await generate({ module: 'example.com/x' });
    const stored = JSON.parse(readFileSync(path.join(dir, '.yo-rc.json'), 'utf8'))['generator-dockergo'];
    assert.deepEqual(Object.keys(stored).sort(), [...INPUTS.map((i) => i.key), 'files', 'generator', 'generatorVersion'].sort());
  });
});
