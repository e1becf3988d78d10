// Property-based tests (fast-check) through the packed bin. Valid inputs, drawn at random, give a
// project that passes gofmt, go vet, go build, go test, shellcheck and the Dockerfile checks;
// invalid and hostile inputs end in exit 1, one line naming the input, and an untouched tree.
// Each property runs with a fixed seed and with a fresh one; both are printed, so any failure
// replays with DOCKERGO_SEED=<seed>. Counterexamples found so far are fixed tests in
// hardening.test.ts and validate.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { execa } from 'execa';
import fc from 'fast-check';
import { load as loadYaml } from 'js-yaml';
import { LATEST_PATCH } from '../../generators/lib/rules/index.js';
import { INPUTS } from '../../generators/lib/inputs/index.js';
import { shellQuote, splitArgs } from '../../generators/lib/rules/index.js';
import { checkDockerfile } from '../support/dockerfile-rules.js';
import { engines } from '../support/engines/engines.js';
import { actionlint } from '../support/engines/tools.js';
import { packedPackage } from '../support/packed.js';
import { cleanup, read, snapshot, tempDir } from '../support/project.js';
import { seeds } from '../support/seeds.js';
import { basesOf } from '../support/variants.js';

const SEEDS = seeds(20261125);

const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
const word = fc.tuple(lower, fc.array(alnum, { maxLength: 7 })).map(([a, rest]) => a + rest.join(''));
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9]|testdata|vendor)$/;
const safeWord = word.filter((w) => !RESERVED.test(w));

/** Valid answers, as flags. */
const validFlags = fc
  .record({
    host: fc.constantFrom('example.com', 'github.com/acme', 'git.corp.example/team'),
    // A word like v0 or v1 would be a major-version suffix, which Go refuses below v2: major says that part.
    path: fc.array(safeWord.filter((w) => !/^v\d+$/.test(w)), { minLength: 1, maxLength: 2 }),
    major: fc.constantFrom('', '/v2', '/v10'),
    kind: fc.constantFrom('service', 'cli'),
    port: fc.integer({ min: 1024, max: 65535 }),
    base: fc.constantFrom('alpine', 'scratch', 'distroless'),
    layout: fc.constantFrom('flat', 'cmd'),
    goproxy: fc.constantFrom('https://proxy.golang.org,direct', 'direct', 'goproxy.example|https://proxy.golang.org', 'off'),
    config: fc.uniqueArray(fc.tuple(fc.constantFrom('', 'conf/', 'etc/app/'), safeWord, fc.constantFrom('.yaml', '.json', '.toml')).map(([d, n, x]) => d + n + x), { maxLength: 2 }),
    goVersion: fc.constantFrom(...Object.entries(LATEST_PATCH).flatMap(([minor, patch]) => [`1.${minor}`, `1.${minor}.${patch}`])),
    compose: fc.boolean(),
    ci: fc.constantFrom('none', 'github'),
    // Words that need quoting for a shell, for JSON, for YAML (and compose's $), and for Make.
    args: fc.array(fc.oneof(word, fc.constantFrom('--addr=0.0.0.0:8080', 'a b', '--glob=*', "it's", '$5', '#1', '"q"', 'back\\slash', 'ü', '')), { maxLength: 4 }),
  })
  .map((v) => [
    '--module', `${v.host}/${v.path.join('/')}${v.major}`, '--kind', v.kind, '--port', String(v.port), '--base', v.base,
    '--layout', v.layout, '--goproxy', v.goproxy, '--go-version', v.goVersion, ...v.config.flatMap((c) => ['--config', c]),
    v.compose ? '--compose' : '--no-compose', '--ci', v.ci, `--args=${v.args.map(shellQuote).join(' ')}`,
  ]);

/** The words of the --args flag a validFlags sample holds. */
const argWords = (flags: string[]): string[] => {
  const words = splitArgs(flags.find((f) => f.startsWith('--args='))!.slice('--args='.length));
  assert.ok(words.ok);
  return words.value;
};

/** Text no input takes: shell and Go metacharacters, unicode, control characters, huge values, reserved names. */
const hostile = fc.oneof(
  fc.constantFrom('`id`', '$(id)', '; rm -rf /', 'a"b', "a'b", 'a\nb', 'a\tb', '\u0007', '../../etc/passwd', 'con', 'AUX', '-rf', '${HOME}', '\\x', 'ü', '📦', '*', ' '),
  // Any unicode but NUL, which no argv can carry.
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((s) => /[^A-Za-z0-9._/-]/.test(s) && !s.includes('\0')),
  fc.constantFrom('x'.repeat(300), `a/${'b'.repeat(256)}`),
);

/** Flags whose every hostile value must be refused (a list flag is refused when any item is). */
const HOSTILE_FLAGS = ['module', 'name', 'port', 'base', 'kind', 'layout', 'goproxy', 'goprivate', 'config', 'args', 'go-version', 'ci'];

describe('properties, through the packed bin', function () {
  this.timeout(900_000);
  let bin = '';
  before(async () => {
    ({ bin } = await packedPackage());
    console.log(`      ${SEEDS.line}`);
  });

  for (const seed of SEEDS.seeds) {
    it(`random valid inputs make projects that vet, build, test and lint (seed ${seed})`, async () => {
      let checkedOnEngine = false;
      await fc.assert(
        fc.asyncProperty(validFlags, async (flags) => {
          const dir = tempDir('prop-');
          try {
            const run = await execa(bin, ['--yes', '--skip-install', ...flags], { cwd: dir, all: true, reject: false });
            assert.equal(run.exitCode, 0, `${flags.join(' ')}\n${run.all}`);
            const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
            // go.mod may name a newer Go than this host's (1.27.x): checked with the host's, at the
            // language version the generated code needs.
            await execa('go', ['mod', 'edit', '-go=1.22'], { cwd: dir, env });
            assert.equal((await execa('gofmt', ['-l', '.'], { cwd: dir })).stdout, '', 'gofmt');
            for (const args of [['vet', './...'], ['build', './...'], ['test', './...']]) {
              const go = await execa('go', args, { cwd: dir, env, all: true, reject: false });
              assert.equal(go.exitCode, 0, `go ${args.join(' ')} (${flags.join(' ')}):\n${go.all}`);
            }
            const shellcheck = await execa('shellcheck', ['build.sh'], { cwd: dir, all: true, reject: false });
            assert.equal(shellcheck.exitCode, 0, shellcheck.all);
            const dockerfile = read(dir, 'Dockerfile');
            // A cli exposes nothing.
            const port = flags[flags.indexOf('--kind') + 1] === 'service' ? Number(flags[flags.indexOf('--port') + 1]) : undefined;
            assert.deepEqual(checkDockerfile(dockerfile, { port }), []);
            assert.deepEqual(validate(dockerfile), []);
            // The default arguments reach CMD word for word (a new cli without them keeps its SRC DST).
            const words = argWords(flags);
            const cmd = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
            if (words.length > 0) assert.deepEqual(cmd.slice(cmd.length - words.length), words, 'CMD');
            const service = flags[flags.indexOf('--kind') + 1] === 'service';
            assert.equal(existsSync(path.join(dir, 'compose.yaml')), service && flags.includes('--compose'), 'compose.yaml');
            if (existsSync(path.join(dir, 'compose.yaml')) && words.length > 0) {
              // compose.yaml repeats CMD, with $ doubled: compose interpolates it.
              const compose = loadYaml(read(dir, 'compose.yaml')) as { services: Record<string, { command: string[] }> };
              assert.deepEqual(Object.values(compose.services)[0]!.command, cmd.map((w) => w.replaceAll('$', '$$$$')), 'compose command');
            }
            if (flags[flags.indexOf('--ci') + 1] === 'github') {
              const lint = await actionlint(dir);
              assert.equal(lint.exitCode, 0, lint.all);
            } else {
              assert.ok(!existsSync(path.join(dir, '.github')), '.github without --ci github');
            }
            if (!checkedOnEngine) {
              // BuildKit's own checks on one sample per seed: the real `docker buildx build --call check`.
              checkedOnEngine = true;
              const e = await engines();
              await e.useEngine('today');
              await e.prepareBases(basesOf(dockerfile).refs);
              const check = await execa('docker', ['buildx', 'build', '--builder', e.remoteBuilder, '--call', 'check', '.'], { cwd: dir, env: e.env(), all: true, reject: false });
              assert.equal(check.exitCode, 0, check.all);
              assert.doesNotMatch(check.all, /WARNING|warning:/, check.all);
            }
          } finally {
            cleanup(dir);
          }
        }),
        { seed, numRuns: 16, endOnFailure: true },
      );
    });

    it(`random hostile values are refused in one line naming the input, writing nothing (seed ${seed})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...HOSTILE_FLAGS), hostile, async (flag, value) => {
          const input = INPUTS.find((i) => i.flag === flag)!;
          // A few hostile texts are valid for a loose input (goprivate takes "*"): only the refused ones are checked.
          if (input.check(value).ok) return;
          const dir = tempDir('prop-');
          mkdirSync(path.join(dir, 'existing'));
          const before = snapshot(dir);
          try {
            // --flag=value: a value starting with "-" stays a value.
            const run = await execa(bin, ['--yes', '--skip-install', '--module', 'example.com/prop', `--${flag}=${value}`, 'svc'], { cwd: dir, all: false, reject: false });
            assert.equal(run.exitCode, 1, `--${flag} ${JSON.stringify(value)}: exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`);
            assert.equal(run.stderr.split('\n').length, 1, run.stderr);
            assert.ok(run.stderr.startsWith(`generator-dockergo: --${flag}`), run.stderr);
            assert.deepEqual(snapshot(dir), before);
          } finally {
            cleanup(dir);
          }
        }),
        { seed, numRuns: 25, endOnFailure: true },
      );
    });
  }
});
