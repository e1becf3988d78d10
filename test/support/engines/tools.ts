// Where the engines built from the Go module proxy live: test/engines/install-tools.sh builds
// each at its pinned version into a cache folder (a no-op once built) and prints the folders.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { PACKAGE_ROOT } from '../project.js';

export interface Tools {
  /** dockerd and docker-proxy of today's engine (moby v2, the 29 line). */
  moby: string;
  /** runc with the time namespace, which today's engine needs. */
  runc: string;
  /** buildkitd, buildctl, dockerfile-frontend. */
  buildkit: string;
  /** docker-buildx, the CLI plugin. */
  buildx: string;
  /** registry (distribution v3). */
  registry: string;
  /** busybox-static for arm64, unpacked from Debian's package by .ci/setup. */
  busyboxArm64: string;
}

let cached: Tools | undefined;

export function toolsRoot(): string {
  return process.env['DOCKERGO_TOOLS'] ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'dockergo-tools');
}

export function tools(): Tools {
  if (cached) return cached;
  const out = execaSync('bash', [path.join(PACKAGE_ROOT, 'test/engines/install-tools.sh')], { stderr: 'inherit' }).stdout;
  const dirs = String(out).split('\n').filter(Boolean);
  const find = (name: string): string => {
    const dir = dirs.find((d) => path.basename(d).startsWith(`${name}@`));
    if (!dir) throw new Error(`install-tools.sh did not report ${name}`);
    return dir;
  };
  const busyboxArm64 = path.join(toolsRoot(), 'busybox-arm64/bin/busybox');
  if (!existsSync(busyboxArm64)) throw new Error(`${busyboxArm64} is missing: run npm run setup`);
  cached = { moby: find('moby'), runc: find('runc'), buildkit: find('buildkit'), buildx: find('buildx'), registry: find('registry'), busyboxArm64 };
  return cached;
}

/** The version a tool folder was built at: "moby@v2.0.0-beta.24" gives "v2.0.0-beta.24". */
export function versionOf(dir: string): string {
  return path.basename(dir).split('@')[1] ?? '';
}
