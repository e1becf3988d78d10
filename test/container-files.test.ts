// The Dockerfile, build.sh and Makefile each variant gets: linted, checked against our rules,
// and build.sh driven against a fake engine that records what it is asked to do.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { execa } from 'execa';
import { checkRepository, REPOSITORY_RULE } from '../generators/lib/rules/index.js';
import { makeCa } from './support/company-network.js';
import { checkDockerfile } from './support/dockerfile-rules.js';
import { cleanup, generate, read, tempDir } from './support/project.js';

const VARIANTS: Record<string, unknown>[] = [
  { base: 'alpine', kind: 'service', layout: 'flat' },
  { base: 'scratch', kind: 'service', layout: 'cmd', port: '9000', config: ['config/app.yaml', 'b.toml'] },
  { base: 'scratch', kind: 'cli', layout: 'flat', config: ['rules.conf'] },
  { base: 'alpine', kind: 'cli', layout: 'cmd' },
  { base: 'scratch', kind: 'service', layout: 'flat', goprivate: 'git.acme.example/*' },
  { base: 'alpine', kind: 'cli', layout: 'flat', goprivate: 'git.acme.example' },
  { base: 'distroless', kind: 'service', layout: 'cmd', config: ['config/app.yaml'] },
  { base: 'distroless', kind: 'cli', layout: 'flat' },
  { base: 'scratch', kind: 'service', layout: 'flat', runtimeCa: true },
  { base: 'alpine', kind: 'service', layout: 'flat', runtimeCa: true, goprivate: 'git.acme.example' },
  { base: 'distroless', kind: 'cli', layout: 'flat', runtimeCa: true },
];

describe('generated container files', function () {
  this.timeout(60_000);
  for (const variant of VARIANTS) {
    describe(JSON.stringify(variant), () => {
      let dir = '';
      before(async () => ({ dir } = await generate({ module: 'example.com/acme/tool', ...variant })));
      after(() => cleanup(dir));

      it('the Dockerfile has no dockerfile-utils diagnostics', () => {
        assert.deepEqual(validate(read(dir, 'Dockerfile')), []);
      });

      it('the Dockerfile keeps our rules: pinned bases, numeric non-root USER, JSON ENTRYPOINT/CMD, EXPOSE, runtime last', () => {
        const port = variant['kind'] === 'service' ? Number(variant['port'] ?? 8080) : undefined;
        assert.deepEqual(checkDockerfile(read(dir, 'Dockerfile'), { port }), []);
      });

      it('build.sh passes shellcheck', async () => {
        const result = await execa('shellcheck', ['--severity=style', 'build.sh'], { cwd: dir, reject: false, all: true });
        assert.equal(result.all, '');
        assert.equal(result.exitCode, 0);
      });
    });
  }
});

describe('our Dockerfile rules catch what they promise', () => {
  let good = '';
  before(async () => {
    const { dir } = await generate({ module: 'example.com/x', base: 'scratch' });
    good = read(dir, 'Dockerfile');
    cleanup(dir);
  });
  const broken: [string, (d: string) => string, RegExp][] = [
    ['a latest base', (d) => d.replace('ARG GO_VERSION=1.26.8', 'ARG GO_VERSION=1.26.8\nFROM alpine:latest AS extra'), /uses latest/],
    ['an untagged base', (d) => d.replace('FROM scratch AS runtime', 'FROM alpine AS runtime'), /alpine has no tag/],
    ['a root USER', (d) => d.replace('USER 65532:65532', 'USER 0:0'), /USER is root/],
    ['a named USER', (d) => d.replace('USER 65532:65532', 'USER app'), /"app" is not numeric/],
    ['a shell-form CMD', (d) => d.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT /usr/local/bin/x'), /ENTRYPOINT is not in JSON form/],
    ['a wrong EXPOSE', (d) => d.replace('EXPOSE 8080', 'EXPOSE 80'), /EXPOSE is \["80"\], expected \["8080"\]/],
    ['runtime not last', (d) => `${d}\nFROM scratch AS extra\n`, /the last stage is extra, not runtime/],
  ];
  for (const [what, breakIt, message] of broken) {
    it(what, () => {
      const text = breakIt(good);
      assert.notEqual(text, good, 'the mutation did not apply');
      assert.match(checkDockerfile(text, { port: 8080 }).join('\n'), message);
    });
  }
  it('passes the generated Dockerfile itself', () => assert.deepEqual(checkDockerfile(good, { port: 8080 }), []));

  it('dockerfile-utils is live: it flags a relative WORKDIR and a second HEALTHCHECK', () => {
    const text = good.replace('USER 65532:65532', 'WORKDIR data\nHEALTHCHECK NONE\nUSER 65532:65532');
    const messages = validate(text).map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
    assert.ok(messages.some((m) => /WORKDIR paths should be absolute/.test(m)), messages.join('; '));
    assert.ok(messages.some((m) => /only be one HEALTHCHECK/.test(m)), messages.join('; '));
  });
});

/**
 * A fake engine on PATH: records each call's arguments, one line each, and answers `image inspect`.
 * Only for what the real engines (test/docker-engine.test.ts) do not show: which flags reach the
 * engine for a netrc secret, SOURCE_DATE_EPOCH, a podman manifest list, a cli's user, and the SBOM
 * switches (the real push, with provenance and an SBOM, is in docker-engine.test.ts).
 */
function fakeEngine(dir: string, name: string): string {
  const log = path.join(dir, `${name}.log`);
  const bin = path.join(dir, name);
  writeFileSync(bin, `#!/bin/sh\necho "$*" >> "${log}"\ncase "$1 $2" in "image inspect") echo 12345678;; esac\n`);
  chmodSync(bin, 0o755);
  return log;
}

describe('build.sh drives the engine', () => {
  let service = '';
  let cli = '';
  let fakes = '';
  let caFile = '';
  let caKey = '';
  before(async () => {
    ({ dir: service } = await generate({ module: 'example.com/acme/web', port: '8181', goprivate: 'git.acme.example' }));
    ({ dir: cli } = await generate({ module: 'example.com/acme/conv', kind: 'cli' }));
    fakes = tempDir('fake-engine-');
    ({ caFile, caKey } = await makeCa(path.join(fakes, 'ca'), 'dockergo test CA'));
  });
  after(() => [service, cli, fakes].forEach(cleanup));

  async function buildSh(dir: string, args: string[], env: Record<string, string> = {}) {
    const log = fakeEngine(fakes, env['DOCKER'] ?? 'docker');
    writeFileSync(log, '');
    const result = await execa('./build.sh', args, {
      cwd: dir,
      reject: false,
      env: { PATH: `${fakes}:${process.env['PATH']}`, VERSION: 'v1.2.3', HOME: fakes, ...env },
    });
    // build.sh first asks whether docker has buildx (`buildx version`); the fake says yes.
    const calls = readFileSync(log, 'utf8').trim().split('\n').filter((c) => c && c !== 'buildx version');
    return { ...result, calls };
  }

  it('a netrc file is passed as a build secret: NETRC_FILE, else ~/.netrc; a NETRC_FILE that is not there is one line', async () => {
    const netrc = path.join(fakes, 'netrc');
    writeFileSync(netrc, 'machine git.acme.example login x password y\n');
    const { calls } = await buildSh(service, ['build'], { NETRC_FILE: netrc });
    assert.ok(calls[0]!.includes(`--secret id=netrc,src=${netrc}`), calls[0]);
    // A project without --goprivate passes it too: an authenticated GOPROXY reads it.
    const { calls: plain } = await buildSh(cli, ['build'], { NETRC_FILE: netrc });
    assert.ok(plain[0]!.includes(`--secret id=netrc,src=${netrc}`), plain[0]);
    const home = path.join(fakes, 'home');
    mkdirSync(home, { recursive: true });
    const { calls: none } = await buildSh(service, ['build'], { HOME: home });
    assert.ok(!none[0]!.includes('--secret'), none[0]);
    writeFileSync(path.join(home, '.netrc'), 'machine git.acme.example login x password y\n');
    const { calls: fromHome } = await buildSh(service, ['build'], { HOME: home });
    assert.ok(fromHome[0]!.includes(`--secret id=netrc,src=${home}/.netrc`), fromHome[0]);
    const absent = await buildSh(service, ['build'], { NETRC_FILE: path.join(fakes, 'absent') });
    assert.equal(absent.exitCode, 2);
    assert.deepEqual(absent.calls, []);
    assert.match(absent.stderr, /^build\.sh: NETRC_FILE=\S+absent: no such file \(a netrc file: machine HOST login USER password TOKEN\)$/);
  });

  it('CA_CERTS reaches the build as the CA_CERTS argument; a private key, or anything but certificates, is one line and no build', async () => {
    const pem = readFileSync(caFile, 'utf8');
    const bundle = path.join(fakes, 'company-ca.pem');
    writeFileSync(bundle, pem);
    const { calls, exitCode } = await buildSh(service, ['build'], { CA_CERTS: bundle });
    assert.equal(exitCode, 0);
    // The fake engine writes its arguments on one line: the PEM's first line begins the argument.
    assert.ok(calls.some((c) => c.includes('--build-arg CA_CERTS=-----BEGIN CERTIFICATE-----')), calls.join('\n'));
    const cases: [string, string, RegExp][] = [
      ['a certificate and its key', pem + readFileSync(caKey, 'utf8'), /holds a private key: give the CA certificates alone/],
      ['a key alone', readFileSync(caKey, 'utf8'), /holds a private key/],
      ['a certificate request', pem + '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', /is not a PEM bundle of certificates/],
      ['DER bytes', '\u0030\u0082binary', /is not a PEM bundle of certificates/],
    ];
    for (const [what, content, message] of cases) {
      writeFileSync(bundle, content);
      const refused = await buildSh(service, ['build'], { CA_CERTS: bundle });
      assert.equal(refused.exitCode, 2, what);
      assert.deepEqual(refused.calls, [], what);
      assert.equal(refused.stderr.trim().split('\n').length, 1, `${what}: ${refused.stderr}`);
      assert.match(refused.stderr, message, what);
      assert.ok(refused.stderr.startsWith(`build.sh: CA_CERTS=${bundle} `), refused.stderr);
    }
    const missing = await buildSh(service, ['build'], { CA_CERTS: path.join(fakes, 'absent.pem') });
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /CA_CERTS=\S+absent\.pem: no such readable file/);
  });

  it('the proxy variables and the Go variables reach the build as build arguments; BUILD_FLAGS are split on blanks, never globbed', async () => {
    const env = {
      HTTPS_PROXY: 'http://127.0.0.1:3128', HTTP_PROXY: 'http://127.0.0.1:3128', NO_PROXY: 'localhost,.corp.example', https_proxy: 'http://127.0.0.1:3128',
      GONOSUMDB: 'corp.example', GONOPROXY: 'git.corp.example', GOSUMDB: 'off', GOPRIVATE: 'corp.example',
      BUILD_FLAGS: ' --network host   --add-host git.corp.example:10.0.0.5 --label x=* ',
    };
    const { calls } = await buildSh(service, ['test'], env);
    for (const [name, value] of Object.entries(env).filter(([n]) => n !== 'BUILD_FLAGS')) assert.ok(calls[0]!.includes(`--build-arg ${name}=${value} `), `${name}: ${calls[0]}`);
    // "*" stays a word: the project's files are not listed in its place.
    assert.ok(calls[0]!.includes('--network host --add-host git.corp.example:10.0.0.5 --label x=* '), calls[0]);
    assert.ok(calls[0]!.endsWith('--target test .'), calls[0]);
  });

  it("GO_VERSION comes from go.mod's toolchain, else go directive, and only when it is a Go version", async () => {
    const goMod = read(service, 'go.mod');
    let said = '';
    const goVersionArg = async (text: string, env: Record<string, string> = {}) => {
      writeFileSync(path.join(service, 'go.mod'), text);
      const { calls, stderr } = await buildSh(service, ['build'], env);
      said = stderr;
      return /--build-arg GO_VERSION=(\S+)/.exec(calls[0]!)?.[1];
    };
    try {
      assert.equal(await goVersionArg('module example.com/acme/web\n\ngo 1.26.3\n'), '1.26.3');
      assert.equal(await goVersionArg('module example.com/acme/web\n\ngo 1.26.0\n\ntoolchain go1.27rc1\n'), '1.27rc1');
      assert.equal(await goVersionArg('module example.com/acme/web\n\ngo 1.26\ntoolchain default\n'), '1.26');
      assert.equal(said, 'build.sh: Go 1.26, from go.mod');
      assert.equal(await goVersionArg('module example.com/acme/web\n\ngo 1.26;touch${IFS}pwned\n'), undefined);
      assert.match(said, /^build\.sh: ignoring the Go version "1\.26;touch\$\{IFS\}pwned" from go\.mod: not x\.y/);
      assert.equal(await goVersionArg('module example.com/acme/web\n'), undefined);
      assert.equal(said, '');
      assert.equal(await goVersionArg(goMod, { GO_VERSION: '1.25.4' }), '1.25.4');
      assert.equal(said, 'build.sh: Go 1.25.4, from GO_VERSION');
      assert.ok(!existsSync(path.join(service, 'pwned')));
    } finally {
      writeFileSync(path.join(service, 'go.mod'), goMod);
    }
  });

  it('SOURCE_DATE_EPOCH reaches the build: a build arg for BuildKit, --timestamp for podman', async () => {
    const epoch = { SOURCE_DATE_EPOCH: '1700000000' };
    assert.match((await buildSh(service, ['build'], epoch)).calls[0]!, / --build-arg SOURCE_DATE_EPOCH=1700000000 /);
    assert.match((await buildSh(service, ['build'], { ...epoch, DOCKER: 'podman' })).calls[0]!, / --timestamp 1700000000 /);
  });

  it('PLATFORMS with podman builds a manifest list and pushes it whole', async () => {
    const platforms = { PLATFORMS: 'linux/amd64,linux/arm64', DOCKER: 'podman' };
    const build = await buildSh(service, ['build'], platforms);
    assert.match(build.calls[0]!, /^build .* --format docker --platform linux\/amd64,linux\/arm64 --manifest web:v1\.2\.3 \.$/);
    const push = await buildSh(service, ['push'], { ...platforms, REGISTRY: 'registry.example.com/team' });
    // --digestfile: deploy pins what was pushed by its digest.
    assert.equal(push.calls.length, 1);
    assert.match(push.calls[0]!, /^manifest push --all --digestfile \/\S+\/digest web:v1\.2\.3 docker:\/\/registry\.example\.com\/team\/web:v1\.2\.3$/);
  });

  it('a multi-platform push: provenance always; the SBOM from SBOM_GENERATOR when set, none with SBOM=false', async () => {
    const push = { PLATFORMS: 'linux/amd64,linux/arm64', REGISTRY: 'registry.example.com/team' };
    const attested = (calls: string[]) => calls.map((c) => c.split(' ').filter((w) => /^--(provenance|sbom)/.test(w)).join(' '));
    assert.deepEqual(attested((await buildSh(service, ['push'], push)).calls), ['--provenance=mode=max --sbom=true']);
    const mirrored = await buildSh(service, ['push'], { ...push, SBOM_GENERATOR: 'mirror.example/syft-scanner:1' });
    assert.deepEqual(attested(mirrored.calls), ['--provenance=mode=max --sbom=generator=mirror.example/syft-scanner:1']);
    assert.deepEqual(attested((await buildSh(service, ['push'], { ...push, SBOM: 'false' })).calls), ['--provenance=mode=max']);
  });

  it('a cli runs on the current folder, as the calling user', async () => {
    const { calls } = await buildSh(cli, ['run', 'a.txt', 'b.txt']);
    const uid = process.getuid?.() ?? 0;
    assert.match(calls[0]!, new RegExp(`^run --rm --user ${uid}:\\d+ -v \\S+:/data conv:v1\\.2\\.3 a\\.txt b\\.txt$`));
  });

  it('push without REGISTRY fails and says what to set', async () => {
    const result = await buildSh(service, ['push'], { REGISTRY: '' });
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderr, /set REGISTRY/);
    assert.deepEqual(result.calls, []);
  });

  it('help prints usage; an unknown command prints usage to stderr and exits 2', async () => {
    const help = await buildSh(service, ['help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /^usage: \.\/build\.sh COMMAND/);
    for (const command of ['build', 'test', 'artifact', 'run', 'push', 'prune', 'size']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
    const unknown = await buildSh(service, ['deploy']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /unknown command: deploy\nusage:/);
  });
});

describe('the Makefile', () => {
  it('has every documented target, wired to go and build.sh', async () => {
    const { dir } = await generate({ module: 'example.com/acme/mk', layout: 'cmd' });
    const targets = ['build', 'test', 'run', 'docker-build', 'docker-test', 'docker-run', 'docker-push', 'clean'];
    const dry = await execa('make', ['-n', ...targets], { cwd: dir, env: { VERSION: 'v0.0.1' } });
    assert.match(dry.stdout, /go build -trimpath -ldflags "-s -w -X main\.version=v0\.0\.1" -o bin\/mk \.\/cmd\/mk/);
    assert.match(dry.stdout, /go vet \.\/\.\.\.\ngo test \.\/\.\.\./);
    for (const sub of ['build', 'test', 'run', 'push']) assert.match(dry.stdout, new RegExp(`\\./build\\.sh ${sub}`));
    assert.match(dry.stdout, /rm -rf bin/);
    cleanup(dir);
  });
});

describe("build.sh's own input checks: one line, before any engine runs (the new-user pass, items 5 to 8)", () => {
  let dir = '';
  let fakes = '';
  let caFile = '';
  /** A PATH of the tools build.sh reads with, and nothing else: no engine, no kubectl, no openssl. */
  let bare = '';
  before(async () => {
    ({ dir } = await generate({ module: 'example.com/acme/web', deploy: 'kubernetes' }));
    fakes = tempDir('fake-engine-');
    fakeEngine(fakes, 'docker');
    ({ caFile } = await makeCa(path.join(fakes, 'ca'), 'dockergo test CA'));
    bare = path.join(fakes, 'bare');
    mkdirSync(bare);
    for (const tool of ['bash', 'env', 'dirname', 'basename', 'mktemp', 'rm', 'git', 'awk', 'sed', 'grep', 'cat', 'wc', 'tr', 'od', 'base64', 'head', 'tail', 'cut', 'id']) {
      const found = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
      symlinkSync(found, path.join(bare, tool));
    }
  });
  after(() => [dir, fakes].forEach(cleanup));

  const buildSh = async (args: string[], env: Record<string, string>, PATH = `${fakes}:${process.env['PATH']}`) => {
    const result = await execa('./build.sh', args, { cwd: dir, reject: false, env: { PATH, VERSION: 'v1.2.3', HOME: fakes, ...env } });
    const lines = result.stderr.split('\n').filter((l) => !/^build\.sh: Go \S+, from /.test(l));
    return { exitCode: result.exitCode, line: lines.join('\n'), lines };
  };
  const refusedIn = (r: { exitCode?: number; lines: string[]; line: string }, status: number, message: RegExp) => {
    assert.equal(r.exitCode, status, r.line);
    assert.equal(r.lines.length, 1, r.line);
    assert.match(r.line, message);
  };

  it('5. REGISTRY: the generator\'s own rule (checkRepository), value for value', async () => {
    const values = [
      'registry.example.com/team', 'localhost:5000/a/b', 'team', 'https://reg.example.com/x', 'reg.example.com/Team', 'reg.example.com:99999/x',
      'reg.example.com:0/x', 'reg.example.com/x:v1', 'reg.example.com/x@sha256:abc', 'reg example.com/x', 'reg.example.com//x', 'reg.example.com/x_-y',
    ];
    for (const value of values) {
      const verdict = checkRepository(value);
      const result = await buildSh(['push'], { REGISTRY: value });
      if (verdict.ok) assert.equal(result.exitCode, 0, `${value}: ${result.line}`);
      else refusedIn(result, 2, new RegExp(`^build\\.sh: REGISTRY="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" .*: must be ${REPOSITORY_RULE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
    refusedIn(await buildSh(['push'], { REGISTRY: 'https://reg.example.com/x' }), 2, /starts with a scheme \(https:\/\/\)/);
    refusedIn(await buildSh(['push'], { REGISTRY: 'reg.example.com:99999/x' }), 2, /has the port 99999, over 65535/);
    refusedIn(await buildSh(['push'], { REGISTRY: 'reg.example.com/Team' }), 2, /has the capital T in its path/);
    refusedIn(await buildSh(['push'], {}), 2, /^build\.sh: set REGISTRY, where the image is pushed, e\.g\. REGISTRY=registry\.example\.com\/team \.\/build\.sh push$/);
  });

  it('6. CACHE_DIR: a comma, a leading dash or a file is one line, and nothing runs', async () => {
    writeFileSync(path.join(fakes, 'a-file'), '');
    const cases: [string, RegExp][] = [
      [path.join(fakes, 'cd,x=1'), /has a comma, a double quote or a control character, which the --cache-to option cannot carry/],
      [path.join(fakes, 'cd"x'), /has a comma, a double quote or a control character/],
      ['-rf', /^build\.sh: CACHE_DIR=-rf starts with "-", which a command reads as an option: write \.\/-rf$/],
      [path.join(fakes, 'a-file'), /is a file: give a folder \(made when missing\)$/],
    ];
    for (const [value, message] of cases) {
      writeFileSync(path.join(fakes, 'docker.log'), '');
      refusedIn(await buildSh(['build'], { CACHE_DIR: value }), 2, message);
      assert.equal(readFileSync(path.join(fakes, 'docker.log'), 'utf8').replace('buildx version\n', ''), '', value);
      assert.ok(!existsSync(path.join(dir, '-rf')));
    }
  });

  it('7. a missing engine or tool is one line naming it and what to set, not a bash error', async () => {
    refusedIn(await buildSh(['build'], {}, bare), 127, /^build\.sh: docker: not found on PATH: install Docker Engine \(https:\/\/docs\.docker\.com\/engine\/install\/\) or podman \(or set DOCKER\)$/);
    refusedIn(await buildSh(['build'], { CACHE_DIR: path.join(fakes, 'cache') }, bare), 127, /^build\.sh: docker: not found on PATH/);
    refusedIn(await buildSh(['run'], { DOCKER: 'podman' }, bare), 127, /^build\.sh: DOCKER=podman: no such program on PATH: install/);
    refusedIn(await buildSh(['manifests'], { KUBECTL: 'nope' }, bare), 127, /^build\.sh: KUBECTL=nope: no such program on PATH: install kubectl/);
    refusedIn(await buildSh(['deploy'], { REGISTRY: 'registry.example.com/team' }, `${fakes}:${bare}`), 127, /^build\.sh: kubectl: not found on PATH: install kubectl .*\(or set KUBECTL\)$/);
  });

  it('8. CA_CERTS: every certificate must parse, with openssl and without it', async () => {
    const pem = readFileSync(caFile, 'utf8');
    const fake = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    const bundle = path.join(fakes, 'bundle.pem');
    // openssl is on the fake PATH's tail (the system's); `bare` plus the fake engine has none.
    const noOpenssl = `${fakes}:${bare}`;
    for (const PATH of [`${fakes}:${process.env['PATH']}`, noOpenssl]) {
      writeFileSync(bundle, pem + fake);
      refusedIn(await buildSh(['build'], { CA_CERTS: bundle }, PATH), 2, /^build\.sh: CA_CERTS=\S+bundle\.pem: certificate 2 does not parse: give the CA certificates in PEM/);
      writeFileSync(bundle, pem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!'));
      refusedIn(await buildSh(['build'], { CA_CERTS: bundle }, PATH), 2, /certificate 1 does not parse/);
      writeFileSync(bundle, pem);
      assert.equal((await buildSh(['build'], { CA_CERTS: bundle }, PATH)).exitCode, 0, PATH);
    }
  });
});
