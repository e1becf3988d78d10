// The pure validators, and the claim that the module rule is Go's own.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import {
  checkConfigFiles,
  checkGoprivate,
  checkGoproxy,
  checkGoVersion,
  checkModule,
  checkName,
  checkPort,
  moduleBase,
  splitList,
  toName,
  checkArgs,
  GENERIC_FOLDERS,
  programName,
  splitArgs,
} from '../generators/lib/validate.js';
import { GENERATED_FILES } from '../generators/lib/inputs.js';
import { cleanup, tempDir } from './support/project.js';

const accepts = (result: { ok: boolean }): boolean => result.ok;

describe('module path', () => {
  // Each verdict is checked against `go mod init` itself below.
  const valid = [
    'chat', 'example.com/x', 'github.com/Acme/Billing-API', 'example.com/x/v2', 'example.com/x/v10', 'a.b/c_d/e~f',
    'gopkg.in/yaml.v3', 'example.com/x.y', 'example.com/v1x', '.hidden/x', 'example.com/a+b', 'a+b', 'example.com/a..b',
    'fmtx', 'example.com/fmt', 'nethttp/x',
  ];
  const invalid = [
    '', 'a b', '/abs', 'trailing/', 'a//b', 'example.com/./x', 'example.com/../x', 'x/...', 'x/y.', 'x;y', 'x$y',
    'x"y', "x'y", 'x`y', 'example.com/x/v1', 'example.com/x/v0', 'example.com/x/v02', 'example.com/ünï', 'con/x', 'x/aux.go',
    '-x', '-', 'example.com/AUX', 'example.com/lpt9.d',
  ];
  // `go mod init` takes these, but nothing builds in such a module ("ambiguous import").
  const standardLibrary = ['std', 'cmd', 'fmt', 'net/http', 'net/x', 'crypto/tls'];
  for (const path of valid) it(`accepts ${JSON.stringify(path)}`, () => assert.ok(accepts(checkModule(path))));
  for (const path of [...invalid, ...standardLibrary]) it(`rejects ${JSON.stringify(path)}`, () => assert.ok(!accepts(checkModule(path))));

  it('refuses standard-library paths, which go mod init takes but go build cannot use', async function () {
    this.timeout(60_000);
    const dir = tempDir('modinit-');
    await execa('go', ['mod', 'init', 'net/http'], { cwd: dir, env: { GOFLAGS: '' } });
    writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.StatusOK }\n');
    const build = await execa('go', ['build', './...'], { cwd: dir, reject: false, env: { GOFLAGS: '' } });
    cleanup(dir);
    assert.notEqual(build.exitCode, 0);
    assert.match(build.stderr, /ambiguous import/);
    assert.match((checkModule('net/http') as { rule: string }).rule, /standard-library path/);
  });

  it('names the reserved names in its rule', () => {
    assert.match((checkModule('example.com/aux') as { rule: string }).rule, /con, prn, aux, nul, com1-9 or lpt1-9/);
  });

  it('agrees with `go mod init` on every example', async function () {
    this.timeout(120_000);
    const disagree: string[] = [];
    for (const path of [...valid, ...invalid].filter((p) => p !== '')) {
      const dir = tempDir('modinit-');
      const go = await execa('go', ['mod', 'init', path], { cwd: dir, reject: false, env: { GOFLAGS: '' } });
      cleanup(dir);
      if ((go.exitCode === 0) !== accepts(checkModule(path))) disagree.push(`${path}: go says ${go.exitCode === 0 ? 'ok' : go.stderr}`);
    }
    assert.deepEqual(disagree, []);
  });

  it('moduleBase drops a /vN suffix', () => {
    assert.equal(moduleBase('example.com/acme/orders/v2'), 'orders');
    assert.equal(moduleBase('example.com/acme/orders'), 'orders');
    assert.equal(moduleBase('chat'), 'chat');
  });
});

describe('name', () => {
  it('takes lowercase names up to 63 characters', () => {
    for (const n of ['a', 'api', 'pay-api', 'v1.2_x', '9lives', 'a'.repeat(63), 'a__b', 'a---b', 'auxiliary']) assert.ok(accepts(checkName(n)), n);
    for (const n of ['', 'Api', '-x', '.x', '_x', 'a b', 'a/b', 'a'.repeat(64), 'é']) assert.ok(!accepts(checkName(n)), n);
  });

  it('refuses what is not an image name, and names Go or Windows reserve', () => {
    for (const n of ['app-', 'a..b', 'a___b', 'a._b', 'a-.b', 'con', 'aux', 'nul', 'com1', 'lpt9', 'con.d', 'testdata', 'vendor'])
      assert.ok(!accepts(checkName(n)), n);
  });

  it('toName makes any text a valid name, for defaults', () => {
    assert.equal(toName('Billing-API'), 'billing-api');
    assert.equal(toName('My Service!'), 'my-service');
    assert.equal(toName('---'), 'app');
    for (const t of ['Ünïcode', '  ', 'x'.repeat(99), '.dot', 'a..b', 'a___b', 'x-', 'a.-b']) assert.ok(accepts(checkName(toName(t))), t);
    assert.equal(toName('a..b'), 'a-b');
  });
});

describe('port', () => {
  it('takes integers 1 to 65535 and nothing else', () => {
    assert.deepEqual(checkPort('8080'), { ok: true, value: 8080 });
    assert.deepEqual(checkPort(443), { ok: true, value: 443 });
    for (const p of ['0', '65536', '-1', '1.5', '80a', '', ' ', '0x50', '1e3']) assert.ok(!accepts(checkPort(p)), p);
  });
});

describe('GOPROXY', () => {
  it('follows Go\'s list grammar', () => {
    for (const v of ['direct', 'off', 'https://proxy.golang.org,direct', 'https://a.example|https://b.example,off', 'file:///srv/mods', 'http://10.0.0.1:3000/go'])
      assert.ok(accepts(checkGoproxy(v)), v);
    for (const v of ['', 'ftp://x', 'https://', 'https://a b', 'https://a;rm', 'file://rel', ',', 'a"b', 'x://y'])
      assert.ok(!accepts(checkGoproxy(v)), v);
  });

  it('takes what Go takes: no scheme (https), an upper-case scheme, empty entries', () => {
    for (const v of ['proxy.golang.org', 'proxy.golang.org,direct', 'HTTPS://proxy.example', 'https://a,,direct', 'direct,', 'Http://10.0.0.1:3000'])
      assert.deepEqual(checkGoproxy(v), { ok: true, value: v }, v);
  });

  it('refuses credentials in a proxy URL, and points to the netrc secret', () => {
    for (const v of ['https://user:pass@goproxy.example', 'user:pass@goproxy.example', 'https://token@goproxy.example,direct']) {
      const result = checkGoproxy(v);
      assert.ok(!result.ok && /without credentials.*netrc build secret/.test(result.rule), v);
    }
  });
});

describe('GOPRIVATE', () => {
  it('takes comma-separated path patterns, and empty for none', () => {
    for (const v of ['', 'git.acme.example', 'git.acme.example/*,github.com/acme/*', '*.corp.example']) assert.ok(accepts(checkGoprivate(v)), v);
    for (const v of ['a b', 'x;y', 'a,,b', '$HOME']) assert.ok(!accepts(checkGoprivate(v)), v);
  });
});

describe('config files', () => {
  it('takes relative paths inside the project, repeated or comma-separated, without duplicates', () => {
    assert.deepEqual(checkConfigFiles(['a.yaml,config/b.toml', 'a.yaml'], GENERATED_FILES), {
      ok: true,
      value: ['a.yaml', 'config/b.toml'],
    });
    for (const v of ['../x', '/etc/x', 'a/../b', 'a b', '-x', 'a/-b', 'Dockerfile', 'go.mod', 'x.go', 'a$b', 'a/', `a/${'x'.repeat(256)}`])
      assert.ok(!accepts(checkConfigFiles([v], GENERATED_FILES)), v);
  });

  it('normalises ./ and repeated slashes', () => {
    assert.deepEqual(checkConfigFiles(['./config.yaml', 'conf//a.yaml', 'conf/./b.yaml', 'config.yaml'], GENERATED_FILES), {
      ok: true,
      value: ['config.yaml', 'conf/a.yaml', 'conf/b.yaml'],
    });
  });

  it('refuses names that break the Go build or make clean', () => {
    for (const v of ['go.work', 'go.work.sum', 'asm.s', 'x.c', 'x.h', 'x.syso', 'app.test', 'bin/app.yaml', 'conf/x.S'])
      assert.ok(!accepts(checkConfigFiles([v], GENERATED_FILES)), v);
  });

  it('refuses credential files and anything under .git/, pointing to the netrc secret', () => {
    for (const v of ['.netrc', 'conf/.netrc', '.git/config', '.git-credentials', '.ssh/id_rsa', '.docker/config.json', 'id_ed25519']) {
      const result = checkConfigFiles([v], GENERATED_FILES);
      assert.ok(!result.ok && /credential file or under \.git\/.*netrc build secret/.test(result.rule), v);
    }
  });

  it('splitList trims and drops empty entries', () => {
    assert.deepEqual(splitList([' a , b', '', 'c,']), ['a', 'b', 'c']);
    assert.deepEqual(splitList(undefined), []);
  });
});

describe('Go version', () => {
  it('takes x.y and x.y.z from 1.22 on, with or without a go prefix', () => {
    for (const v of ['1.22', '1.22.0', '1.26.8', 'go1.26.8', '1.27rc1', '1.27.4', '1.26.11', '1.25rc3']) assert.ok(accepts(checkGoVersion(v)), v);
    for (const v of ['1.21.9', '1', '1.x', '01.26', '1.026', 'latest', '', '1.26rc0', '1.26-rc1']) assert.ok(!accepts(checkGoVersion(v)), v);
  });

  it('refuses releases that do not exist, and says how far its table goes', () => {
    for (const v of ['2.0', '1.30', '1.28', '1.26.99', '1.27.5', '1.22.13']) assert.ok(!accepts(checkGoVersion(v)), v);
    // Pre-releases too: only the ones the Go team shipped (defect 9 of the containment issue).
    for (const v of ['1.22rc9', '1.22beta1', '1.25beta1', '1.26rc3', '1.27rc4', '1.28rc1']) assert.ok(!accepts(checkGoVersion(v)), v);
    assert.match((checkGoVersion('1.30') as { rule: string }).rule, /to 1\.27\.4 \(the newest this generator knows/);
  });
});

describe('default arguments (--args)', () => {
  /** The words a real sh (Debian's dash) makes of the text, by eval: its own splitting and quote removal. */
  async function shWords(text: string): Promise<string[] | undefined> {
    const run = await execa('sh', ['-c', 'eval "set -- $1" && for a in "$@"; do printf "%s\\0" "$a"; done', 'sh', text], { reject: false, stripFinalNewline: false });
    if (run.exitCode !== 0) return undefined;
    return run.stdout === '' ? [] : run.stdout.slice(0, -1).split('\0');
  }

  it('splits as sh does: quotes, backslashes, empty words, a # inside a word', async () => {
    const cases = [
      'run --server --addr 0.0.0.0:8181', `'--label=a b' "--x=*"`, 'a\\ b', '"a\\"b" \'a\\b\'', '"a\\qb"', 'a "" b', '""', '--tag=#1',
      'a=~', '{a,b}', 'x\\\ny', '  lead  trail  ', "'it'\\''s'", '"a b"c',
    ];
    for (const text of cases) assert.deepEqual(splitArgs(text), { ok: true, value: await shWords(text) }, text);
  });

  it('refuses what sh would expand, glob, run or reject, and control characters in a word', () => {
    for (const text of ['$HOME', '"$HOME"', 'a`id`', '$(id)', '*', '--x=?', '[ab]', 'a|b', 'a;b', 'a&', '<in', '>out', '(x)', '#c', '~/x', 'a"b', "a'b", 'a\\', "'a\nb'", 'x'.repeat(4097)]) {
      assert.ok(!splitArgs(text).ok, text);
    }
  });

  it('on random text of quotes, backslashes and blanks, every split it accepts is sh\'s', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', "'", '"', '\\', '=', '#', '~', '\n', '{', '!'), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const ours = splitArgs(t);
        if (ours.ok) assert.deepEqual(ours.value, await shWords(t), JSON.stringify(t));
      }),
      { seed: 20261201, numRuns: 300 },
    );
  });

  it('checkArgs writes them back in one form that splits to the same words', () => {
    const written = checkArgs(`run "--label=a b" --price='$5' --tag=#1`);
    assert.deepEqual(written, { ok: true, value: `run '--label=a b' '--price=$5' '--tag=#1'` });
    assert.deepEqual(splitArgs((written as { value: string }).value), { ok: true, value: ['run', '--label=a b', '--price=$5', '--tag=#1'] });
  });
});

describe('program names', () => {
  it('a main in a generic folder is named after its module; GENERIC_FOLDERS gives each word a reason', () => {
    assert.equal(programName('github.com/pocketbase/pocketbase', './examples/base'), 'pocketbase');
    assert.equal(programName('github.com/prometheus/client_golang', './examples/simple'), 'client_golang');
    assert.equal(programName('example.com/acme/shop/v2', './cmd/server'), 'shop');
    assert.equal(programName('example.com/acme/shop', './cmd/api'), 'api');
    assert.equal(programName('example.com/acme/shop', '.'), 'shop');
    for (const [word, reason] of Object.entries(GENERIC_FOLDERS)) assert.ok(word === word.toLowerCase() && reason.length > 10, word);
  });
});
