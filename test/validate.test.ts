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
  checkCaBundle,
  checkNamespace,
  checkQuantity,
  checkRepository,
  quantityValue,
  type Checked,
} from '../generators/lib/rules/index.js';
import { invalidLine } from '../generators/lib/errors.js';
import { GENERATED_FILES } from '../generators/lib/inputs/index.js';
import { cleanup, tempDir } from './support/project.js';

const accepts = (result: { ok: boolean }): boolean => result.ok;
/** What a refusal says is wrong ("" when it passed or said nothing). */
const problemOf = (result: Checked<unknown>): string => (result.ok ? '' : (result.problem ?? ''));

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
    assert.match(problemOf(checkModule('net/http')), /^is a standard-library path \(net\)/);
  });

  it('names the reserved names when it meets one', () => {
    assert.match(problemOf(checkModule('example.com/aux')), /^has the element "aux", a name Windows reserves \(con, prn, aux, nul, com1-9, lpt1-9\)$/);
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
      assert.ok(!result.ok && /not credentials: pass those as the netrc build secret/.test(result.rule), v);
      assert.match(problemOf(result), /^(is a credential file \(.*\)|lies in \.git\/)$/, v);
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

describe('messages: what is wrong first, then the rule in a short clause (the hardening pass, items 9, 10, 11, 15)', () => {
  /** The one line a refused value gets, as a flag would print it. */
  const line = (where: string, value: string, result: Checked<unknown>): string => {
    assert.ok(!result.ok, `${where} ${value} passed`);
    return invalidLine(where, value, result);
  };

  it('names the offending character and its position, for every input made of characters', () => {
    const cases: [string, string, Checked<unknown>, RegExp][] = [
      ['--module', 'exa#mple.com/x', checkModule('exa#mple.com/x'), /^--module: "exa#mple\.com\/x" has "#" at position 4: must be a Go module path/],
      ['--module', 'example.com/ünï', checkModule('example.com/ünï'), /has "ü" \(U\+00FC\) at position 13:/],
      ['--name', 'my app', checkName('my app'), /^--name: "my app" has a space at position 3: must be a lowercase image name/],
      ['--name', 'MyApp', checkName('MyApp'), /has the capital "M" at position 1:/],
      ['--name', 'a..b', checkName('a..b'), /joins two runs with "\.\." at position 2:/],
      ['--goprivate', 'git.acme;rm', checkGoprivate('git.acme;rm'), /^--goprivate: "git\.acme;rm" has ";" at position 9: must be comma-separated/],
      ['--goproxy', 'https://a b', checkGoproxy('https://a b'), /^--goproxy: "https:\/\/a b" has a space at position 10: must be a GOPROXY list/],
      ['--goproxy', 'direct,https://a b', checkGoproxy('direct,https://a b'), /" has a space at position 10 in the entry "https:\/\/a b": must be/],
      ['--config', 'conf/a b.yaml', checkConfigFiles(['conf/a b.yaml'], GENERATED_FILES), /^--config: "conf\/a b\.yaml" has a space at position 7: must be config files/],
      ['--config', 'a.yaml,conf/a b.yaml', checkConfigFiles(['a.yaml', 'conf/a b.yaml'], GENERATED_FILES), /" has "conf\/a b\.yaml", which has a space at position 7: must be/],
      ['--args', 'run $HOME', checkArgs('run $HOME'), /^--args: "run \$HOME" has an unquoted "\$" at position 5: must be arguments as sh splits them/],
      ['namespace', 'Acme', checkNamespace('Acme'), /has the capital "A" at position 1:/],
    ];
    for (const [where, value, result, expected] of cases) {
      const text = line(where, value, result);
      assert.match(text, expected);
      // One short line: no rule dump of 400 characters.
      assert.ok(text.length < 260, `${text.length} characters: ${text}`);
    }
  });

  it('names the limit an input goes over', () => {
    assert.match(line('--args', 'x'.repeat(4097), checkArgs('x'.repeat(4097))), /^--args: "x{80}"… \(4,097 characters\) is 4,097 characters, over the limit of 4,096: must be/);
    assert.match(line('--name', 'a'.repeat(64), checkName('a'.repeat(64))), /is 64 characters, over the limit of 63:/);
    assert.match(line('--port', '99999', checkPort('99999')), /^--port: "99999" is over 65535: must be an integer from 1 to 65535$/);
  });

  it('says "greater than zero" of a zero quantity, and never "must be must"', () => {
    assert.match(line('kubernetes.resources.cpu', '0', checkQuantity('0')), /^kubernetes\.resources\.cpu: "0" is zero: must be a Kubernetes quantity greater than zero/);
    assert.match(line('--module', '', checkModule('')), /^--module: "" is empty: must be a Go module path/);
    for (const [value, result] of [['', checkModule('')], ['', checkName('')], ['', checkPort('')], ['', checkGoVersion('')]] as const) {
      assert.doesNotMatch(line('x', value, result), /must be must/);
    }
  });

  it('compares quantities with their units: 0.5Gi is more than 256Mi, 1000m is one core', () => {
    assert.ok(quantityValue('0.5Gi') > quantityValue('256Mi'));
    assert.equal(quantityValue('1000m'), quantityValue('1'));
    assert.equal(quantityValue('1k'), 1000);
    assert.equal(quantityValue('1Ki'), 1024);
  });

  it('a registry: no scheme, no tag, a lowercase path, a port up to 65535', () => {
    for (const v of ['registry.example.com/team', 'localhost:5000/x', '127.0.0.1:5055/a/b', 'Registry.Example.com/team', 'team']) assert.ok(accepts(checkRepository(v)), v);
    assert.match(problemOf(checkRepository('https://reg.example.com/x')), /^starts with a scheme \(https:\/\/\)/);
    assert.match(problemOf(checkRepository('reg.example.com/Team')), /^has the capital "T" in its path/);
    assert.match(problemOf(checkRepository('reg.example.com:99999/x')), /^has the port 99999, over 65535$/);
    assert.match(problemOf(checkRepository('reg.example.com/x:v1')), /^has a tag or digest/);
  });

  it('a CA bundle: every block parses, and says which does not', () => {
    const fake = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    assert.match(problemOf(checkCaBundle(fake)), /^holds a certificate that does not parse \(block 1\)$/);
    assert.match(problemOf(checkCaBundle('hello\n')), /^holds no PEM block$/);
  });
});
