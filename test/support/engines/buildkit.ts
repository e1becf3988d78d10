// The newest BuildKit (buildkitd built from the Go module proxy), reached by a buildx builder
// with the remote driver, as users reach one they created for multi-arch builds. Its
// docker.io mirror and the test registries are plain http on 127.0.0.1.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { startDaemon, type Daemon } from './process.js';
import { tools, versionOf } from './tools.js';

export interface Buildkitd extends Daemon {
  readonly version: string;
  /** unix://… address for `docker buildx create --driver remote`. */
  readonly address: string;
}

export async function startBuildkitd(options: { dir: string; mirror: string; mirrored: string[]; httpRegistries: string[] }): Promise<Buildkitd> {
  const run = mkdtempSync('/tmp/bk-');
  const root = path.join(options.dir, 'root');
  mkdirSync(root, { recursive: true });
  const address = `unix://${path.join(run, 'buildkitd.sock')}`;
  const toml = [
    `root = ${JSON.stringify(root)}`,
    '[grpc]',
    `  address = [${JSON.stringify(address)}]`,
    '[worker.oci]',
    '  enabled = true',
    // No garbage collection: its default policy keys on the disk's free space, and on a machine
    // under that threshold it pruned cache mounts between two builds. The tests remove the root.
    '  gc = false',
    '[worker.containerd]',
    '  enabled = false',
    // docker.io and any other registry a test's base images name come from the local mirror.
    ...options.mirrored.flatMap((host) => [`[registry.${JSON.stringify(host)}]`, `  mirrors = [${JSON.stringify(options.mirror)}]`]),
    ...[...new Set([options.mirror, ...options.httpRegistries])].flatMap((host) => [`[registry.${JSON.stringify(host)}]`, '  http = true', '  insecure = true']),
  ];
  writeFileSync(path.join(options.dir, 'buildkitd.toml'), `${toml.join('\n')}\n`);
  const bin = tools().buildkit;
  const daemon = await startDaemon('buildkitd', path.join(bin, 'buildkitd'), ['--config', path.join(options.dir, 'buildkitd.toml')], {
    logFile: path.join(options.dir, 'buildkitd.log'),
    // Its OCI worker runs containers with runc: ours, which knows the time namespace.
    env: { PATH: `${tools().runc}:${process.env['PATH']}` },
    ready: async () => (await execa(path.join(bin, 'buildctl'), ['--addr', address, 'debug', 'workers'], { reject: false, timeout: 10_000 })).exitCode === 0,
  });
  return {
    ...daemon,
    async stop() {
      await daemon.stop();
      rmSync(run, { recursive: true, force: true });
    },
    version: versionOf(bin),
    address,
  };
}
