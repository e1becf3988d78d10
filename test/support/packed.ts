// The package as users get it: packed with npm, installed from the tarball (with yo 7) into a
// prefix of its own. Packed once per test run, shared by every suite that runs the bin, and
// removed by the root afterAll hook.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { cleanup, lastingTempDir, PACKAGE_ROOT, snapshot, tempDir } from './project.js';

export interface Packed {
  /** The install prefix: node_modules/ holds generator-dockergo and yo. */
  prefix: string;
  /** node_modules/.bin/generator-dockergo */
  bin: string;
  /** The packed tarball, for a second install (say, a simulated newer version). */
  tarball: string;
}

let packed: Promise<Packed> | undefined;

export function packedPackage(): Promise<Packed> {
  packed ??= (async () => {
    const prefix = lastingTempDir('dockergo-prefix-');
    chmodSync(prefix, 0o755);
    // npm test has just built it: no prepack build, which would rewrite files another run of the suites reads.
    const pack = await execa('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', prefix], { cwd: PACKAGE_ROOT });
    const tarball = path.join(prefix, pack.stdout.trim().split('\n').at(-1)!);
    await execa('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', tarball, 'yo@7'], { cwd: prefix });
    return { prefix, bin: path.join(prefix, 'node_modules/.bin/generator-dockergo'), tarball };
  })();
  return packed;
}

export async function removePackedPackage(): Promise<void> {
  if (!packed) return;
  const { prefix } = await packed;
  packed = undefined;
  cleanup(prefix);
}

/**
 * Runs the bin on bad input and checks what every bad input must give: the exit status (1, or
 * 130 for a cancelled prompt), one stderr line naming the problem, no stack trace, and the tree
 * exactly as it was: `watch` (default: cwd), say the project's parent, to see outside it too.
 * Returns that line.
 */
export async function expectRefused(
  bin: string,
  cwd: string,
  args: string[],
  line: RegExp,
  { status = 1, watch = cwd, ...options }: Options & { status?: number; watch?: string } = {},
): Promise<string> {
  const before = snapshot(watch);
  const result = await execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', ...options } as Options);
  const stderr = String(result.stderr);
  assert.equal(result.exitCode, status, `${args.join(' ')}: exit ${result.exitCode}\n${stderr}\n${String(result.stdout)}`);
  assert.equal(stderr.split('\n').length, 1, `more than one line:\n${stderr}`);
  assert.match(stderr, /^generator-dockergo: /);
  assert.match(stderr, line);
  assert.doesNotMatch(String(result.stdout), /\bat .*\.js:\d+/);
  assert.deepEqual(snapshot(watch), before, 'the tree changed');
  return stderr;
}

/**
 * git and go on PATH as recorders, so what the bin runs is seen, not guessed from its output.
 * Each call is logged ("git init --quiet") and fails.
 */
export function toolRecorders(tools: readonly string[] = ['git', 'go']): { env: Record<string, string>; calls: () => string[]; reset: () => void; dir: string } {
  const dir = tempDir('dockergo-recorders-');
  const log = path.join(dir, 'calls');
  writeFileSync(log, '');
  for (const tool of tools) {
    writeFileSync(path.join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\nexit 1\n`);
    chmodSync(path.join(dir, tool), 0o755);
  }
  return {
    env: { PATH: `${dir}:${process.env['PATH']}` },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    reset: () => writeFileSync(log, ''),
    dir,
  };
}
