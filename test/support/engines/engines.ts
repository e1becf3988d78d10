// The real engines, started once per test run and stopped when it ends (test/support/hooks.ts):
//   a registry on 127.0.0.1 serving stand-in bases under their docker.io names (the mirror),
//   a second registry behind htpasswd (docker login, push),
//   buildkitd (newest BuildKit) with a buildx builder for it (remote driver),
//   qemu's aarch64 binfmt handler, so arm64 images run,
//   and one Docker Engine at a time (today's or the oldest), whose mirror is the registry.
// Nothing here uses or changes a daemon it did not start; servers bind to 127.0.0.1 or a socket.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startBuildkitd, type Buildkitd } from './buildkit.js';
import { refuseInFastSuites } from './process.js';
import { containersEnv } from './containers.js';
import { startDockerd, type Dockerd, type EngineKind } from './dockerd.js';
import { startRegistry, type Registry } from './registry.js';
import { describeStandin, pushFrontend, pushStandin, qualify, splitRef } from './standins.js';
import { tools, versionOf } from './tools.js';

/** Registries whose images the tests' Dockerfiles name: docker.io, gcr.io (distroless) and the example preset's mirror. */
const MIRRORED_HOSTS = ['docker.io', 'gcr.io', 'registry.acme.internal'];
const REMOTE_BUILDER = 'dockergo-remote';

export interface Engines {
  readonly mirror: Registry;
  /** The registry behind htpasswd. */
  readonly secure: Registry;
  readonly buildkitd: Buildkitd;
  /** The buildx builder on buildkitd (remote driver): BUILDX_BUILDER=REMOTE_BUILDER. */
  readonly remoteBuilder: string;
  readonly buildxVersion: string;
  /** Stops the running engine, if another, and starts this one. */
  useEngine(kind: EngineKind): Promise<Dockerd>;
  /** Environment for the docker CLI and build.sh: DOCKER_HOST, DOCKER_CONFIG (with buildx). */
  env(extra?: Record<string, string>): Record<string, string>;
  /**
   * Environment for podman: runc (crun fails on this machine's cgroups), no default ulimits
   * (podman's exceed this machine's hard limit), docker.io mirrored by the registry, and the
   * test registries as plain http.
   */
  podmanEnv(extra?: Record<string, string>): Record<string, string>;
  /**
   * A new buildkitd with an empty state folder, and a remote buildx builder for it: what a CI
   * runner starts each job with. stop() removes both; the run's end stops any left.
   */
  newBuilder(): Promise<{ name: string; stop(): Promise<void> }>;
  /** Makes base images resolvable by the engine and the remote builder; one line per image. */
  prepareBases(refs: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

let started: Promise<Engines> | undefined;
let running: Engines | undefined;

export function engines(): Promise<Engines> {
  refuseInFastSuites('a Docker Engine');
  started ??= start().then((e) => (running = e));
  return started;
}

/** Stops whatever engines() started; called once when the run ends. */
export async function stopEngines(): Promise<void> {
  if (running) await running.stop();
}

const BINFMT = '/proc/sys/fs/binfmt_misc';

/**
 * Registers qemu's aarch64 handler unless it already is (mounting binfmt_misc first when it is not
 * mounted); returns what undoes it, or undefined when there was nothing to do.
 */
async function registerQemu(): Promise<(() => Promise<void>) | undefined> {
  if (existsSync(path.join(BINFMT, 'qemu-aarch64'))) return undefined;
  const mounted = !existsSync(path.join(BINFMT, 'register'));
  if (mounted) await execa('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT]);
  writeFileSync(path.join(BINFMT, 'register'), readFileSync('/usr/lib/binfmt.d/qemu-aarch64.conf', 'utf8').trim());
  return async () => {
    // Writing -1 to a handler removes it.
    writeFileSync(path.join(BINFMT, 'qemu-aarch64'), '-1');
    if (mounted) await execa('umount', [BINFMT], { reject: false });
  };
}

async function start(): Promise<Engines> {
  const t = tools();
  const root = mkdtempSync(path.join(tmpdir(), 'dockergo-engines-'));
  const sub = (name: string): string => {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch((error) => console.error(`      stopping: ${String(error)}`));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // A private DOCKER_CONFIG: the buildx and compose plugins, and the logins this run makes.
    const dockerConfig = sub('docker-config');
    mkdirSync(path.join(dockerConfig, 'cli-plugins'));
    for (const plugin of [path.join(t.buildx, 'docker-buildx'), path.join(t.compose, 'docker-compose')]) {
      const installed = path.join(dockerConfig, 'cli-plugins', path.basename(plugin));
      copyFileSync(plugin, installed);
      chmodSync(installed, 0o755);
    }
    writeFileSync(path.join(dockerConfig, 'config.json'), '{}\n');

    const mirror = await startRegistry(sub('mirror'));
    stops.push(() => mirror.stop());
    const secure = await startRegistry(sub('secure'), { auth: { user: 'ci', password: `pw-${process.pid}` } });
    stops.push(() => secure.stop());
    await pushFrontend(mirror.host);

    const unregister = await registerQemu();
    if (unregister) stops.push(unregister);

    // Every buildkitd of the run (the shared one, and each newBuilder's) mirrors the same registries.
    const buildkitdAt = (dir: string) => startBuildkitd({ dir, mirror: mirror.host, mirrored: MIRRORED_HOSTS, httpRegistries: [secure.host] });
    const buildkitd = await buildkitdAt(sub('buildkitd'));
    stops.push(() => buildkitd.stop());

    let current: Dockerd | undefined;
    stops.push(async () => current?.stop());
    const env = (extra: Record<string, string> = {}): Record<string, string> => ({
      DOCKER_CONFIG: dockerConfig,
      ...(current ? { DOCKER_HOST: current.host } : {}),
      ...extra,
    });
    const docker = (args: string[]) => execa('docker', args, { env: env(), all: true });
    await docker(['buildx', 'create', '--name', REMOTE_BUILDER, '--driver', 'remote', buildkitd.address]);
    const buildxVersion = /v\d+\.\d+\.\d+\S*/.exec((await docker(['buildx', 'version'])).stdout)?.[0] ?? versionOf(t.buildx);

    // podman: the run's own storage and network (containers.ts), docker.io mirrored by the
    // registry, and the test registries as plain http.
    const podman = sub('podman');
    writeFileSync(path.join(podman, 'auth.json'), '{}\n');
    writeFileSync(
      path.join(podman, 'registries.conf'),
      [
        'unqualified-search-registries = ["docker.io"]',
        ...MIRRORED_HOSTS.flatMap((host) => ['[[registry]]', `prefix = "${host}"`, `location = "${host}"`, '[[registry.mirror]]', `location = "${mirror.host}"`, 'insecure = true']),
        ...[mirror.host, secure.host].flatMap((host) => ['[[registry]]', `location = "${host}"`, 'insecure = true']),
      ].join('\n') + '\n',
    );
    const storage = await containersEnv();
    const podmanEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
      DOCKER: 'podman',
      ...storage,
      CONTAINERS_REGISTRIES_CONF: path.join(podman, 'registries.conf'),
      REGISTRY_AUTH_FILE: path.join(podman, 'auth.json'),
      ...extra,
    });

    // Each stand-in is pushed once, however many callers ask for it at the same time.
    const pushed = new Map<string, Promise<void>>();
    let builders = 0;
    const newBuilder = async () => {
      const name = `dockergo-fresh-${++builders}`;
      const dir = sub(`buildkitd-${builders}`);
      const daemon = await buildkitdAt(dir);
      let stopped = false;
      const stopBuilder = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        await docker(['buildx', 'rm', name]).catch(() => undefined);
        await daemon.stop();
        rmSync(dir, { recursive: true, force: true });
      };
      stops.push(stopBuilder);
      await docker(['buildx', 'create', '--name', name, '--driver', 'remote', daemon.address]);
      return { name, stop: stopBuilder };
    };
    const engines: Engines = {
      mirror,
      secure,
      buildkitd,
      remoteBuilder: REMOTE_BUILDER,
      buildxVersion,
      async useEngine(kind) {
        if (current?.kind === kind) return current;
        await current?.stop();
        current = undefined;
        current = await startDockerd(kind, { dir: sub(`dockerd-${kind}`), mirror: mirror.host });
        return current;
      },
      env,
      podmanEnv,
      newBuilder,
      async prepareBases(refs) {
        const report: string[] = [];
        for (const ref of [...new Set(refs.map((r) => qualify(r.replace(/@sha256:[0-9a-f]{64}$/, ''))))]) {
          if (!pushed.has(ref)) pushed.set(ref, pushStandin(ref, mirror.host));
          await pushed.get(ref);
          // dockerd mirrors docker.io only: an image from another registry is pulled from the
          // mirror and tagged under its own name, which the docker driver uses before pulling.
          const { host, path: repo } = splitRef(ref);
          if (current && host !== 'docker.io') {
            await docker(['pull', '--quiet', `${mirror.host}/${repo}`]);
            await docker(['tag', `${mirror.host}/${repo}`, ref]);
          }
          report.push(`${ref}: STAND-IN (${describeStandin(ref, { multiArch: true })}), served by the registry on ${mirror.host}`);
        }
        return report;
      },
      stop,
    };
    return engines;
  } catch (error) {
    await stop();
    throw error;
  }
}
