// Presets (defaults, locks, images, labels, overlays), answers files, and their precedence.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { presetSchema } from '../generators/lib/presets/index.js';
import { makeCa } from './support/company-network.js';
import { checkDockerfile } from './support/dockerfile-rules.js';
import { assertCommandReproduces, cleanup, generate, generateFailing, listFiles, PACKAGE_ROOT, read, runApp, tempDir } from './support/project.js';

const ACME = path.join(PACKAGE_ROOT, 'examples/acme-preset');

/** A preset folder made from the given preset.json (an object, or raw text) and templates. */
function makePreset(preset: unknown, templates: Record<string, string> = {}): string {
  const dir = tempDir('preset-');
  writeFileSync(path.join(dir, 'preset.json'), typeof preset === 'string' ? preset : JSON.stringify(preset));
  for (const [file, text] of Object.entries(templates)) {
    mkdirSync(path.dirname(path.join(dir, 'templates', file)), { recursive: true });
    writeFileSync(path.join(dir, 'templates', file), text);
  }
  return dir;
}

const answersDirs: string[] = [];
after(() => answersDirs.splice(0).forEach(cleanup));

function answersFile(answers: unknown): string {
  const dir = tempDir('answers-');
  answersDirs.push(dir);
  const file = path.join(dir, 'answers.json');
  writeFileSync(file, JSON.stringify(answers));
  return file;
}

const port = (dir: string): number => JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].port;

describe('the example preset (examples/acme-preset)', () => {
  let dir = '';
  before(async () => ({ dir } = await generate({ module: 'example.com/acme/orders', preset: ACME })));
  after(() => cleanup(dir));

  it('pins the mirror images, locks GOPROXY and adds its labels', () => {
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /^ARG BUILDER_IMAGE=registry\.acme\.internal\/mirror\/golang:\$\{GO_VERSION\}-alpine$/m);
    assert.match(dockerfile, /^ARG RUNTIME_IMAGE=registry\.acme\.internal\/mirror\/alpine:\$\{ALPINE_VERSION\}@sha256:[0-9a-f]{64}$/m);
    assert.match(dockerfile, /^ARG GOPROXY="https:\/\/goproxy\.acme\.internal,direct"$/m);
    assert.match(dockerfile, /^ {6}org\.opencontainers\.image\.vendor="Acme Corp" \\$/m);
    assert.match(dockerfile, /^ {6}com\.acme\.team="platform"$/m);
    assert.deepEqual(checkDockerfile(dockerfile, { port: 8080 }), []);
  });

  it('replaces the README template and, by default, writes the Kubernetes manifests its kubernetes section shapes', () => {
    assert.match(read(dir, 'README.md'), /^An Acme Corp service \(module `example\.com\/acme\/orders`/m);
    assert.ok(listFiles(dir).includes('deploy/kubernetes/base/deployment.yaml'));
    assert.ok(listFiles(dir).includes('deploy/kubernetes/overlays/prod/ingress.yaml'));
    assert.match(read(dir, 'deploy/kubernetes/base/kustomization.yaml'), /^namespace: "acme-apps"$/m);
    assert.match(read(dir, 'deploy/kubernetes/base/kustomization.yaml'), /^ {6}"com\.acme\.team": "platform"$/m);
    assert.match(read(dir, 'deploy/kubernetes/base/deployment.yaml'), /^ {14}cpu: "100m"$/m);
    assert.match(read(dir, 'deploy/kubernetes/overlays/prod/kustomization.yaml'), /^ {2}- "ingress\.yaml"$/m);
    assert.match(read(dir, 'build.sh'), /^REGISTRY=\$\{REGISTRY:-registry\.acme\.internal\/apps\}$/m);
  });

  it('--deploy none still leaves the manifests out', async () => {
    const { dir: plain } = await generate({ module: 'example.com/acme/pay', deploy: 'none', preset: ACME });
    assert.ok(!listFiles(plain).some((f) => f.startsWith('deploy/')));
  });

  it('is remembered in .yo-rc.json; a folder outside the project is run again only when given again, and then writes identical files', async () => {
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].preset, path.relative(dir, ACME));
    const before = listFiles(dir).map((f) => [f, read(dir, f)]);
    // A preset is code: a cloned repository's .yo-rc.json must not pick a folder outside it.
    await assert.rejects(generate({ goVersion: undefined }, dir), /^UsageError: \.yo-rc\.json preset: ".*acme-preset" is .*, outside the project and not an installed npm package/);
    assert.deepEqual(listFiles(dir).map((f) => [f, read(dir, f)]), before);
    await generate({ goVersion: undefined, preset: ACME }, dir);
    assert.deepEqual(listFiles(dir).map((f) => [f, read(dir, f)]), before);
  });

  it('matches the published schema file', () => {
    assert.deepEqual(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'preset.schema.json'), 'utf8')), presetSchema());
  });
});

describe('presets', () => {
  it('load from an installed npm package by name', async () => {
    const project = tempDir();
    const pkg = path.join(project, 'node_modules/@acme/dockergo-preset');
    cpSync(ACME, pkg, { recursive: true });
    const { dir } = await generate({ module: 'example.com/x', preset: '@acme/dockergo-preset' }, project);
    assert.match(read(dir, 'Dockerfile'), /goproxy\.acme\.internal/);
    assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].preset, '@acme/dockergo-preset');
  });

  it('load from DOCKERGO_PRESET', async () => {
    process.env['DOCKERGO_PRESET'] = ACME;
    try {
      const { dir } = await generate({ module: 'example.com/x' });
      assert.match(read(dir, 'Dockerfile'), /goproxy\.acme\.internal/);
    } finally {
      delete process.env['DOCKERGO_PRESET'];
    }
  });

  it('locked inputs are not asked', async () => {
    const asked: string[] = [];
    await runApp(tempDir(), { yes: false, skipInstall: true, goVersion: '1.26.8', preset: ACME }).withAnswers(
      { module: 'example.com/x' },
      { callback: (answer: unknown, { question }: { question: { name: string } }) => (asked.push(question.name), answer) },
    );
    assert.ok(asked.includes('base') && asked.includes('port'), asked.join());
    assert.ok(!asked.includes('goproxy'), asked.join());
  });

  it('a preset default is the prompt default, and the value when nothing else is given', async () => {
    const preset = makePreset({ defaults: { port: 7000, base: 'scratch' } });
    const { dir } = await generate({ module: 'example.com/x', preset });
    assert.equal(port(dir), 7000);
    assert.match(read(dir, 'Dockerfile'), /^FROM scratch AS runtime$/m);
  });

  it('an overlay file replaces a built-in template of the same path, and a new one is added', async () => {
    const preset = makePreset({}, {
      'go.mod.ejs': 'module <%- module %>\n\ngo <%- goVersion %>\n\n// acme\n',
      '.github/workflows/ci.yml.ejs': 'name: <%- name %>\non: push\n',
      'scripts/deploy.sh': '#!/bin/sh\necho deploy <%- name %>\n',
    });
    const { dir } = await generate({ module: 'example.com/acme/tool', preset });
    assert.match(read(dir, 'go.mod'), /\/\/ acme\n$/);
    assert.equal(read(dir, '.github/workflows/ci.yml'), 'name: tool\non: push\n');
    assert.equal(read(dir, 'scripts/deploy.sh'), '#!/bin/sh\necho deploy tool\n');
  });

  it('an overlay for a template this variant does not use adds nothing', async () => {
    const preset = makePreset({}, { 'go/cli/main.go.ejs': 'package main\n' });
    const { dir } = await generate({ module: 'example.com/x', kind: 'service', preset });
    assert.doesNotMatch(read(dir, 'main.go'), /^package main\n$/);
    assert.ok(!listFiles(dir).some((f) => f.startsWith('go/')));
  });
});

describe('after prompts', () => {
  it('the equivalent command names the preset, and reproduces the same files', async () => {
    const printed: string[] = [];
    const dir = tempDir();
    await runApp(dir, { yes: false, skipInstall: true, goVersion: '1.26.8', preset: ACME })
      .withAnswers({ module: 'example.com/acme/eq', kind: 'service', port: '8181', config: 'app.yaml' })
      .onGenerator((generator) => {
        // Record what the generator logs, on top of the logger it already has.
        const g = generator as unknown as { log: (...a: unknown[]) => unknown };
        g.log = new Proxy(g.log, { apply: (target, self, args) => (printed.push(String(args[0])), Reflect.apply(target, self, args)) });
      });
    const line = printed.find((p) => p.includes('To generate this again without prompts'));
    assert.ok(line, printed.join('\n'));
    const command = line.split('\n').find((l) => l.trim().startsWith('generator-dockergo'))!.trim();
    assert.match(command, new RegExp(`^generator-dockergo --yes --preset ${ACME.replaceAll('/', '\\/')} --module example\\.com\\/acme\\/eq `));
    await assertCommandReproduces(command, dir);
  });
});

describe('a preset and the newer inputs', () => {
  it('images.distroless is the runtime of --base distroless; compose and ci take JSON booleans and choices', async () => {
    const ref = 'registry.acme.internal/mirror/distroless/static-debian13:nonroot';
    const preset = makePreset({ images: { distroless: ref }, defaults: { compose: false }, locked: { ci: 'github' } });
    const { dir } = await generate({ module: 'example.com/x', preset, base: 'distroless' });
    assert.match(read(dir, 'Dockerfile'), new RegExp(`^ARG RUNTIME_IMAGE=${ref.replaceAll('.', '\\.')}$`, 'm'));
    assert.ok(!listFiles(dir).includes('compose.yaml'));
    assert.ok(listFiles(dir).includes('.github/workflows/ci.yml'));
    // The alpine runtime stays the default one: images.distroless is for distroless alone.
    const { dir: alpine } = await generate({ module: 'example.com/x', preset });
    assert.match(read(alpine, 'Dockerfile'), /^ARG RUNTIME_IMAGE=alpine:\$\{ALPINE_VERSION\}$/m);
  });
});

describe("a preset's company CA (caCerts) and --runtime-ca", () => {
  let pem = '';
  let key = '';
  const dirs: string[] = [];
  before(async () => {
    const ca = await makeCa(tempDir('preset-ca-'), 'Acme Corp Root CA');
    dirs.push(path.dirname(ca.caFile));
    pem = readFileSync(ca.caFile, 'utf8');
    key = readFileSync(ca.caKey, 'utf8');
  });
  after(() => dirs.splice(0).forEach(cleanup));

  /** A preset whose caCerts names a file beside preset.json holding `bundle`. */
  function caPreset(bundle: string, extra: Record<string, unknown> = {}): string {
    const dir = makePreset({ caCerts: 'certs/acme-ca.pem', ...extra });
    dirs.push(dir);
    mkdirSync(path.join(dir, 'certs'));
    writeFileSync(path.join(dir, 'certs/acme-ca.pem'), bundle);
    return dir;
  }

  it("writes the bundle as company-ca.pem, build.sh's CA_CERTS default; the runtime trusts it only with --runtime-ca", async () => {
    const { dir } = await generate({ module: 'example.com/x', preset: caPreset(pem.replaceAll('\n', '\r\n')) });
    assert.equal(read(dir, 'company-ca.pem'), pem);
    assert.ok(read(dir, 'build.sh').includes('local file=${CA_CERTS-company-ca.pem}'));
    const dockerfile = read(dir, 'Dockerfile');
    assert.match(dockerfile, /^ARG CA_CERTS=$/m);
    assert.doesNotMatch(dockerfile, /AS certs|--from=certs/);
    // The bundle travels as a build argument: it is not in the build context.
    assert.doesNotMatch(read(dir, '.dockerignore'), /company-ca/);
    const { dir: trusted } = await generate({ module: 'example.com/x', preset: caPreset(pem), runtimeCa: true });
    assert.match(read(trusted, 'Dockerfile'), /^COPY --from=certs \/out\/ca-certificates\.crt \/etc\/ssl\/certs\/ca-certificates\.crt$/m);
    assert.equal(JSON.parse(read(trusted, '.yo-rc.json'))['generator-dockergo'].runtimeCa, true);
  });

  it('a bundle whose name begins with two dots is inside the preset folder, and is written', async () => {
    const dir = makePreset({ caCerts: '..acme-ca.pem' });
    dirs.push(dir);
    writeFileSync(path.join(dir, '..acme-ca.pem'), pem);
    const { dir: project } = await generate({ module: 'example.com/x', preset: dir });
    assert.equal(read(project, 'company-ca.pem'), pem);
  });

  it('a lock on runtimeCa holds, and --no-runtime-ca against it is one line', async () => {
    const preset = caPreset(pem, { locked: { runtimeCa: true } });
    const { dir } = await generate({ module: 'example.com/x', preset, base: 'scratch' });
    assert.match(read(dir, 'Dockerfile'), /^COPY --from=builder \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\/ca-certificates\.crt$/m);
    const { dir: refused, error } = await generateFailing({ module: 'example.com/x', preset, runtimeCa: false });
    assert.match(error.message, /^--runtime-ca: "false" contradicts preset \S+ \(\S+preset\.json\), which locks runtimeCa to "true"$/);
    assert.deepEqual(listFiles(refused), []);
  });

  const bad: [string, () => string, RegExp][] = [
    ['a bundle with a private key', () => caPreset(pem + key), /caCerts: "certs\/acme-ca\.pem" holds a private key: must be CA certificates alone/],
    ['a private key alone', () => caPreset(key), / holds a private key: must be CA certificates alone/],
    ['text that is not PEM', () => caPreset('hello\n'), / holds no PEM block: must be a PEM bundle of CA certificates/],
    ['a PEM block that does not parse', () => caPreset('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), / holds a certificate that does not parse \(block 1\): must be a PEM bundle of CA certificates/],
    ['a file outside the preset', () => makePreset({ caCerts: '../acme-ca.pem' }), /caCerts: "\.\.\/acme-ca\.pem" is outside the preset folder/],
    ['a missing file', () => makePreset({ caCerts: 'nope.pem' }), /caCerts: "nope\.pem": no such file in the preset folder$/],
    ['a symbolic link', () => {
      const dir = makePreset({ caCerts: 'link.pem' });
      symlinkSync('/etc/ssl/certs/ca-certificates.crt', path.join(dir, 'link.pem'));
      return dir;
    }, /caCerts: link\.pem is a symbolic link in the preset folder: the generator follows no link/],
  ];
  for (const [what, preset, message] of bad) {
    it(`refuses ${what} in one line, writing nothing`, async () => {
      const { dir, error } = await generateFailing({ module: 'example.com/x', preset: preset() });
      assert.match(error.message, /^preset \S+\/preset\.json: caCerts: /);
      assert.match(error.message, message);
      assert.equal(error.message.split('\n').length, 1);
      assert.deepEqual(listFiles(dir), []);
    });
  }
});

describe('precedence: flags > answers file > preset defaults > built-in defaults; locks over all', () => {
  const preset = (): string => makePreset({ defaults: { port: 7000 }, locked: { base: 'scratch' } });

  it('each source wins over the ones after it', async () => {
    const p = preset();
    const file = answersFile({ port: 7100 });
    assert.equal(port((await generate({ module: 'example.com/x' })).dir), 8080);
    assert.equal(port((await generate({ module: 'example.com/x', preset: p })).dir), 7000);
    assert.equal(port((await generate({ module: 'example.com/x', preset: p, answers: file })).dir), 7100);
    assert.equal(port((await generate({ module: 'example.com/x', preset: p, answers: file, port: '7200' })).dir), 7200);
  });

  it('a lock holds when nothing contradicts it', async () => {
    const { dir } = await generate({ module: 'example.com/x', preset: preset(), answers: answersFile({ port: 7100 }) });
    assert.match(read(dir, 'Dockerfile'), /^FROM scratch AS runtime$/m);
  });

  it('an answers file takes flag names too', async () => {
    const { dir } = await generate({ answers: answersFile({ module: 'example.com/x', 'go-version': '1.25.1', base: 'scratch' }), goVersion: undefined });
    assert.match(read(dir, 'go.mod'), /^go 1\.25\.1$/m);
  });
});

describe('bad presets and answers files: one clear line, nothing written', () => {
  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    ['a missing folder', () => ({ preset: '/nonexistent/preset' }), /^--preset: "\/nonexistent\/preset" is not a folder \(looked for \/nonexistent\/preset\)$/],
    ['an unknown package', () => ({ preset: '@nobody/no-such-preset' }), /^--preset: "@nobody\/no-such-preset" is not a folder, nor an installed npm package with a preset\.json/],
    ['a folder without preset.json', () => ({ preset: tempDir() }), /^preset \S+\/preset\.json: no such file/],
    ['invalid JSON', () => ({ preset: makePreset('{ "defaults": ') }), /^preset \S+\/preset\.json: not valid JSON: /],
    ['an unknown field', () => ({ preset: makePreset({ defaults: {}, extras: 1 }) }), /^preset \S+\/preset\.json: preset\.json: unknown field "extras"$/],
    ['an unknown input', () => ({ preset: makePreset({ defaults: { colour: 'blue' } }) }), /^preset \S+: defaults: unknown field "colour"$/],
    ['a wrongly typed value', () => ({ preset: makePreset({ locked: { module: 42 } }) }), /^preset \S+: locked\.module: must be string$/],
    ['an invalid default', () => ({ preset: makePreset({ defaults: { port: 99999 } }) }), /^preset \S+\/preset\.json: defaults\.port: 99999 is over 65535: must be an integer from 1 to 65535$/],
    ['an invalid lock', () => ({ preset: makePreset({ locked: { base: 'debian' } }) }), /^preset \S+: locked\.base: "debian" is not valid: must be one of "alpine", "scratch", "distroless"$/],
    ['a latest image', () => ({ preset: makePreset({ images: { builder: 'golang:latest' } }) }), /^preset \S+: images\.builder: "golang:latest" is tagged "latest", which moves: must be a pinned image reference/],
    ['a bad label', () => ({ preset: makePreset({ labels: { 'com.acme.team': 'a$b' } }) }), /^preset \S+: labels\.com\.acme\.team: "a\$b" has "\$" at position 2: must be a label value/],
    ['a lock contradicted by a flag', () => ({ preset: makePreset({ locked: { base: 'scratch' } }), base: 'alpine' }), /^--base: "alpine" contradicts preset \S+ \(\S+preset\.json\), which locks base to "scratch"$/],
    ['a lock contradicted by an answers file', () => ({ preset: makePreset({ locked: { port: 8443 } }), answers: answersFile({ port: 8080 }) }), /^answers file: port: "8080" contradicts preset .* which locks port to "8443"$/],
    ['an overlay with an EJS syntax error', () => ({ preset: makePreset({}, { 'README.md.ejs': '# <%- name %>\n\nok\n<% if (isService) { %>\n<%- name.( %>\n<% } %>\n' }) }), /^preset \S+: templates\/README\.md\.ejs:5: Unexpected token/],
    ['an overlay with an unclosed tag', () => ({ preset: makePreset({}, { 'extra.txt.ejs': 'a\nb <%- name\nc\n' }) }), /^preset \S+: templates\/extra\.txt\.ejs:2: an EJS tag "<%" is never closed/],
    ['an overlay that fails as it renders', () => ({ preset: makePreset({}, { 'extra.txt.ejs': 'a\n<%- nosuchfield.x %>\n' }) }), /^template templates\/extra\.txt\.ejs: .*nosuchfield is not defined/],
    ['an answers file that is missing', () => ({ answers: '/nonexistent/answers.json' }), /^answers file \/nonexistent\/answers\.json: cannot read it: ENOENT$/],
    ['an answers file with an unknown input', () => ({ answers: answersFile({ colour: 'blue' }) }), /^answers file \S+: unknown input "colour" \(known: module, name, /],
    ['an answers file with a bad value', () => ({ answers: answersFile({ port: 'http' }) }), /^answers file \S+: port: "http" is not a whole number: must be an integer/],
    ['an answers file with a bad on/off value', () => ({ answers: answersFile({ compose: 'maybe' }) }), /^answers file \S+: compose: "maybe" is not valid: must be true or false \(yes\/no, on\/off, 1\/0\)$/],
    ['a preset locking an unknown CI system', () => ({ preset: makePreset({ locked: { ci: 'jenkins' } }) }), /^preset \S+: locked\.ci: "jenkins" is not valid: must be one of "none", "github"$/],
    ['a latest distroless image', () => ({ preset: makePreset({ images: { distroless: 'gcr.io/distroless/static:latest' } }) }), /^preset \S+: images\.distroless: "gcr\.io\/distroless\/static:latest" is tagged "latest", which moves: must be a pinned image reference/],
    ['an answers file that is not an object', () => ({ answers: answersFile([1, 2]) }), /^answers file \S+: must be a JSON object keyed by input name$/],
  ];
  for (const [what, options, message] of cases) {
    it(what, async () => {
      const { dir, error } = await generateFailing({ module: 'example.com/x', ...options() });
      assert.match(error.message, message);
      assert.equal(error.message.split('\n').length, 1);
      assert.deepEqual(listFiles(dir), []);
    });
  }
});
