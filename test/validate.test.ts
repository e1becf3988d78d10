// The pure validators, and the claim that the module rule is Go's own.
import assert from 'node:assert/strict';
import { execa } from 'execa';
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
} from '../generators/lib/validate.js';
import { GENERATED_FILES } from '../generators/lib/inputs.js';
import { cleanup, tempDir } from './support/project.js';

const accepts = (result: { ok: boolean }): boolean => result.ok;

describe('module path', () => {
  // Each verdict is checked against `go mod init` itself below.
  const valid = [
    'chat', 'example.com/x', 'github.com/Acme/Billing-API', 'example.com/x/v2', 'example.com/x/v10', 'a.b/c_d/e~f',
    'gopkg.in/yaml.v3', 'example.com/x.y', 'example.com/v1x', '.hidden/x',
  ];
  const invalid = [
    '', 'a b', '/abs', 'trailing/', 'a//b', 'example.com/./x', 'example.com/../x', 'x/...', 'x/y.', 'x;y', 'x$y',
    'x"y', "x'y", 'x`y', 'example.com/x/v1', 'example.com/x/v0', 'example.com/x/v02', 'example.com/ünï', 'con/x', 'x/aux.go',
  ];
  for (const path of valid) it(`accepts ${JSON.stringify(path)}`, () => assert.ok(accepts(checkModule(path))));
  for (const path of invalid) it(`rejects ${JSON.stringify(path)}`, () => assert.ok(!accepts(checkModule(path))));

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
    for (const n of ['a', 'api', 'pay-api', 'v1.2_x', '9lives', 'a'.repeat(63)]) assert.ok(accepts(checkName(n)), n);
    for (const n of ['', 'Api', '-x', '.x', '_x', 'a b', 'a/b', 'a'.repeat(64), 'é']) assert.ok(!accepts(checkName(n)), n);
  });

  it('toName makes any text a valid name, for defaults', () => {
    assert.equal(toName('Billing-API'), 'billing-api');
    assert.equal(toName('My Service!'), 'my-service');
    assert.equal(toName('---'), 'app');
    for (const t of ['Ünïcode', '  ', 'x'.repeat(99), '.dot', 'a..b']) assert.ok(accepts(checkName(toName(t))), t);
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
    for (const v of ['', 'proxy.golang.org', 'ftp://x', 'https://', 'https://a,,direct', 'https://a b', 'https://a;rm', 'file://rel', 'direct,'])
      assert.ok(!accepts(checkGoproxy(v)), v);
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
    for (const v of ['../x', '/etc/x', 'a/../b', './a', 'a//b', 'a b', '-x', 'a/-b', 'Dockerfile', 'go.mod', 'x.go', 'a$b'])
      assert.ok(!accepts(checkConfigFiles([v], GENERATED_FILES)), v);
  });

  it('splitList trims and drops empty entries', () => {
    assert.deepEqual(splitList([' a , b', '', 'c,']), ['a', 'b', 'c']);
    assert.deepEqual(splitList(undefined), []);
  });
});

describe('Go version', () => {
  it('takes x.y and x.y.z from 1.22 on, with or without a go prefix', () => {
    for (const v of ['1.22', '1.22.0', '1.26.8', 'go1.26.8', '2.0']) assert.ok(accepts(checkGoVersion(v)), v);
    for (const v of ['1.21.9', '1', '1.x', '1.26rc1', '01.26', '1.026', 'latest', '']) assert.ok(!accepts(checkGoVersion(v)), v);
  });
});
