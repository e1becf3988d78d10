// Generated projects, checked with the real Go toolchain: gofmt, go vet, go build, go test,
// and the binaries run for real.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { cleanup, generate, listFiles, read } from './support/project.js';
import { freePort, httpGet, waitForHttp } from './support/service.js';

interface Variant {
  base: string;
  kind: 'service' | 'cli';
  layout: 'flat' | 'cmd';
  config?: string[];
}

// kind x layout, plus config-file variants. The Go sources do not depend on --base: the other
// bases' twins are checked to be byte for byte the same Go project (below), not compiled again.
const MATRIX: Variant[] = [];
for (const kind of ['service', 'cli'] as const) for (const layout of ['flat', 'cmd'] as const) MATRIX.push({ base: 'alpine', kind, layout });
MATRIX.push({ base: 'scratch', kind: 'service', layout: 'cmd', config: ['config/app.yaml', 'secrets.json'] });
MATRIX.push({ base: 'alpine', kind: 'cli', layout: 'flat', config: ['rules.conf', 'more/rules.toml'] });

/** The files the go command reads: what a twin on another base must not differ in. */
const goFiles = (dir: string): Record<string, string> =>
  Object.fromEntries(listFiles(dir).filter((f) => /(^|\/)(go\.mod|go\.sum|[^/]*\.go)$/.test(f)).map((f) => [f, read(dir, f)]));

const label = (v: Variant): string => `${v.base} ${v.kind} ${v.layout}${v.config ? ` +${v.config.length} config` : ''}`;

async function go(dir: string, ...args: string[]) {
  return execa('go', args, { cwd: dir, env: { GOTOOLCHAIN: 'local' }, all: true });
}

describe('generated Go projects', function () {
  this.timeout(300_000);

  for (const kind of ['service', 'cli'] as const) {
    for (const layout of ['flat', 'cmd'] as const) {
      it(`${kind} ${layout}: on scratch and distroless, the same Go project as on alpine (compiled and tested once, above)`, async () => {
        const module = `example.com/matrix/${kind}-${layout}`;
        const { dir: alpine } = await generate({ module, kind, layout, base: 'alpine' });
        const sources = goFiles(alpine);
        assert.ok(Object.keys(sources).some((f) => f.endsWith('main.go')), Object.keys(sources).join());
        for (const base of ['scratch', 'distroless']) {
          const { dir } = await generate({ module, kind, layout, base });
          assert.deepEqual(goFiles(dir), sources, base);
        }
      });
    }
  }

  for (const variant of MATRIX) {
    describe(label(variant), () => {
      const name = `${variant.kind}-${variant.layout}`;
      let dir = '';
      let binary = '';
      before(async () => {
        ({ dir } = await generate({ module: `example.com/matrix/${name}`, ...variant }));
        binary = path.join(dir, 'bin', name);
      });
      after(() => cleanup(dir));

      it('is gofmt-clean and vet-clean', async () => {
        const fmt = await execa('gofmt', ['-l', '.'], { cwd: dir });
        assert.equal(fmt.stdout, '', `gofmt would change: ${fmt.stdout}`);
        await go(dir, 'vet', './...');
      });

      it('passes its own tests', async () => {
        const result = await go(dir, 'test', '-count=1', './...');
        assert.match(result.stdout, /^ok\s/m);
      });

      it('builds, with the version set through -ldflags', async () => {
        const pkg = variant.layout === 'cmd' ? `./cmd/${name}` : '.';
        await go(dir, 'build', '-trimpath', '-ldflags', '-s -w -X main.version=v9.8.7', '-o', binary, pkg);
        const version = await execa(binary, ['-version']);
        assert.equal(version.stdout, `${name} v9.8.7`);
      });

      if (variant.kind === 'service') serviceChecks(variant, () => ({ dir, binary }));
      else cliChecks(variant, () => ({ dir, binary }));
    });
  }
});

function configArgs(dir: string, variant: Variant): string[] {
  return (variant.config ?? []).flatMap((c) => ['-config', path.join(dir, c)]);
}

function serviceChecks(variant: Variant, project: () => { dir: string; binary: string }): void {
  it('serves /healthz and /readyz, passes -healthcheck, and exits 0 within 5 s of SIGTERM', async () => {
    const { dir, binary } = project();
    const port = await freePort();
    const server = execa(binary, configArgs(dir, variant), { env: { PORT: String(port) }, reject: false, all: true });
    try {
      assert.deepEqual(await waitForHttp(`http://127.0.0.1:${port}/healthz`), { status: 200, body: 'ok' });
      assert.equal((await httpGet(`http://127.0.0.1:${port}/readyz`)).status, 200);
      const info = JSON.parse((await httpGet(`http://127.0.0.1:${port}/`)).body);
      assert.deepEqual(info, { name: path.basename(binary), version: 'v9.8.7' });
      const health = await execa(binary, ['-healthcheck'], { env: { PORT: String(port) }, reject: false });
      assert.equal(health.exitCode, 0, health.stderr);
    } finally {
      server.kill('SIGTERM');
    }
    const started = Date.now();
    const exit = await Promise.race([server, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    assert.notEqual(exit, 'timeout', 'still running 5 s after SIGTERM');
    if (exit === 'timeout') return;
    assert.equal(exit.exitCode, 0, exit.all);
    assert.ok(Date.now() - started < 5000);
    assert.match(String(exit.all), /"msg":"shutting down"/);
    for (const file of variant.config ?? []) assert.match(String(exit.all), new RegExp(`"msg":"config loaded","file":"[^"]*${file}"`));
  });

  it('-healthcheck fails when nothing listens', async () => {
    const { binary } = project();
    const health = await execa(binary, ['-healthcheck'], { env: { PORT: String(await freePort()) }, reject: false });
    assert.equal(health.exitCode, 1);
    assert.match(health.stderr, /^healthcheck: /);
  });

  it('a missing config file is an error with exit 1', async () => {
    const { dir, binary } = project();
    const run = await execa(binary, ['-config', path.join(dir, 'absent.yaml')], { env: { PORT: String(await freePort()) }, reject: false });
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /absent\.yaml: no such file or directory/);
  });
}

function cliChecks(variant: Variant, project: () => { dir: string; binary: string }): void {
  it('transforms SRC into DST', async () => {
    const { dir, binary } = project();
    writeFileSync(path.join(dir, 'in.txt'), 'hello\nworld\n');
    const run = await execa(binary, [...configArgs(dir, variant), 'in.txt', 'out.txt'], { cwd: dir, reject: false });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(read(dir, 'out.txt'), 'HELLO\nWORLD\n');
    assert.match(run.stderr, /"msg":"converted".*"lines":2/);
  });

  it('without arguments prints its usage and exits non-zero', async () => {
    const { binary } = project();
    const run = await execa(binary, [], { reject: false });
    assert.notEqual(run.exitCode, 0);
    assert.match(run.stderr, new RegExp(`^usage: ${path.basename(binary)} \\[flags\\] SRC DST`));
  });
}
