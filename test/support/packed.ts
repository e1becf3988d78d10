// The package as users get it: packed with npm, installed from the tarball (with yo 7) into a
// prefix of its own. Packed once per test run, shared by every suite that runs the bin, and
// removed by the root afterAll hook.
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { cleanup, PACKAGE_ROOT, tempDir } from './project.js';

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
    const prefix = tempDir('dockergo-prefix-');
    chmodSync(prefix, 0o755);
    const pack = await execa('npm', ['pack', '--silent', '--pack-destination', prefix], { cwd: PACKAGE_ROOT });
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
