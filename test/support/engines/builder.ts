// An image builder, as the image tests and the benchmark use it: buildah (with stand-in base
// images in its local store), or docker buildx on the engines this run starts (stand-ins served
// by the local registry). See README, "How it is tested".
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { engines, type Engines } from './engines.js';
import { buildahCacheDir, containersEnv } from './containers.js';
import { commitStandin, describeStandin, isStandin, qualify, standinKind } from './standins.js';

export interface BuildOptions {
  tag?: string;
  target?: string;
  /** e.g. linux/arm64: cross-compiled by the builder stage, no emulation. */
  platform?: string;
  /** A folder to export the target's files to (type=local). */
  output?: string;
  buildArgs?: Record<string, string>;
  /** Secret id to file. */
  secrets?: Record<string, string>;
  /** SOURCE_DATE_EPOCH for reproducible timestamps. */
  timestamp?: number;
  noCache?: boolean;
  /** Image format; docker (the default) keeps HEALTHCHECK. */
  format?: 'docker' | 'oci';
}

export interface BuildResult {
  log: string;
  /** Steps other than FROM that the build ran. */
  steps: number;
  /** Of those, the ones taken from the cache. */
  cached: number;
}

export interface ImageConfig {
  user: string;
  exposedPorts: string[];
  healthcheck: string[] | undefined;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  labels: Record<string, string>;
  architecture: string;
  /** The image's ID (a digest of its config). */
  id: string;
  /** The layers' uncompressed digests (rootfs diff_ids). */
  layers: string[];
  size: number;
}

export interface RunOptions {
  volumes?: Record<string, string>;
  env?: Record<string, string>;
}

export interface Container {
  /** Runs a command in the container as the image's USER, with the host's network. */
  run(command: string[], options?: RunOptions): ResultPromise<{ reject: false; all: true }>;
  /** The container's root file system on the host. */
  rootfs(): Promise<string>;
}

export interface Builder {
  /** "buildah 1.28.2" or "docker buildx". */
  readonly name: string;
  /** Makes the base images exist locally (pulled, else stand-ins); returns one line per image. */
  prepareBases(images: string[]): Promise<string[]>;
  build(context: string, options?: BuildOptions): Promise<BuildResult>;
  inspect(tag: string): Promise<ImageConfig>;
  withContainer<T>(tag: string, use: (c: Container) => Promise<T>): Promise<T>;
  remove(tags: string[]): Promise<void>;
  /** Empties the layer cache and the cache mounts, for a cold build. */
  clearCache(): Promise<void>;
}

/** A Docker image config (buildah's .Docker.config, docker's .Config) as ImageConfig. */
function imageConfig(
  config: Record<string, any>,
  image: Pick<ImageConfig, 'architecture' | 'id' | 'layers' | 'size'>,
): ImageConfig {
  return {
    user: config['User'] ?? '',
    exposedPorts: Object.keys(config['ExposedPorts'] ?? {}),
    healthcheck: config['Healthcheck']?.Test,
    entrypoint: config['Entrypoint'] ?? [],
    cmd: config['Cmd'] ?? [],
    workingDir: config['WorkingDir'] ?? '',
    labels: config['Labels'] ?? {},
    ...image,
  };
}

/** --build-arg and --secret flags, spelt alike by buildah and buildx. */
function buildArgAndSecretFlags(o: BuildOptions): string[] {
  return [
    ...Object.entries(o.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(o.secrets ?? {}).flatMap(([id, src]) => ['--secret', `id=${id},src=${src}`]),
  ];
}

/** -v and --env flags of a container run, spelt alike by buildah and docker. */
function runFlags(options: RunOptions): string[] {
  return [
    ...Object.entries(options.volumes ?? {}).flatMap(([host, target]) => ['-v', `${host}:${target}`]),
    ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ];
}

function hostPlatform(): string {
  return `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;
}

function countSteps(log: string): { steps: number; cached: number } {
  const lines = log.split('\n');
  let steps = 0;
  let cached = 0;
  for (const line of lines) {
    if (/^(\[\d+\/\d+\] )?STEP \d+\/\d+: (?!FROM )/.test(line)) steps++;
    if (/^--> Using cache /.test(line)) cached++;
  }
  return { steps, cached };
}

class Buildah implements Builder {
  /** buildah on the run's own storage (engines/containers.ts). */
  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  private buildah(args: string[], options: { cwd?: string } = {}) {
    return execa('buildah', args, { env: this.env, all: true, ...options });
  }

  async prepareBases(images: string[]): Promise<string[]> {
    const report: string[] = [];
    for (const image of [...new Set(images.map(qualify))]) {
      // --policy=always: a local image (a stand-in) must not pass for a pulled one.
      const pulled = await execa('buildah', ['pull', '--policy=always', '--quiet', image], { env: this.env, reject: false, timeout: 300_000 });
      if (pulled.exitCode === 0) {
        report.push(`${image}: the real image, pulled`);
        continue;
      }
      if (!(await isStandin(image))) await commitStandin(image, { kind: standinKind(image), arch: 'amd64' });
      report.push(`${image}: STAND-IN (${describeStandin(image, { multiArch: false })}); no registry answered`);
    }
    return report;
  }

  async build(context: string, o: BuildOptions = {}): Promise<BuildResult> {
    const args = ['build', '--layers', '--pull=never', '--isolation', 'chroot', '--format', o.format ?? 'docker'];
    if (o.tag) args.push('-t', o.tag);
    if (o.target) args.push('--target', o.target);
    if (o.platform) args.push('--platform', o.platform, '--build-arg', `BUILDPLATFORM=${hostPlatform()}`);
    if (o.output) args.push('--output', `type=local,dest=${o.output}`);
    args.push(...buildArgAndSecretFlags(o));
    if (o.timestamp !== undefined) args.push('--timestamp', String(o.timestamp));
    if (o.noCache) args.push('--no-cache');
    const once = () => execa('buildah', [...args, '.'], { cwd: context, env: this.env, all: true, reject: false });
    let result = await once();
    // A RUN step of buildah 1.28 starts its runtime through a sealed memfd copy of the binary (runc's
    // cloned-binary code); sealing can race with another process that maps the copy, and the step fails
    // with EBUSY (seen once in ~500 builds). A machine flake, not the Dockerfile's: one retry, said aloud.
    if (result.exitCode !== 0 && /sealing memfd copy: Device or resource busy/.test(String(result.all))) {
      console.log('      buildah: "sealing memfd copy: Device or resource busy" (a runc cloned-binary race): building again once');
      result = await once();
    }
    if (result.exitCode !== 0) throw new Error(`buildah build failed (exit ${result.exitCode}):\n${String(result.all).slice(-4000)}`);
    const log = String(result.all);
    return { log, ...countSteps(log) };
  }

  async inspect(tag: string): Promise<ImageConfig> {
    const info = JSON.parse((await this.buildah(['inspect', '--type', 'image', tag])).stdout);
    const config = info.Docker?.config ?? {};
    // Local storage keeps layers uncompressed: their sizes add up to the image's size.
    const manifest = JSON.parse(info.Manifest ?? '{}') as { layers?: { size: number }[] };
    const size = (manifest.layers ?? []).reduce((sum, layer) => sum + layer.size, 0);
    return imageConfig(config, {
      architecture: info.Docker?.architecture ?? info.OCIv1?.architecture ?? '',
      id: info.FromImageID ?? '',
      layers: info.OCIv1?.rootfs?.diff_ids ?? [],
      size,
    });
  }

  async withContainer<T>(tag: string, use: (c: Container) => Promise<T>): Promise<T> {
    const id = (await this.buildah(['from', '--pull=never', '--quiet', tag])).stdout.trim();
    const env = this.env;
    try {
      return await use({
        run(command, options = {}) {
          // The host's network, as chroot isolation gives it anyway: with no --network, buildah readies CNI in /etc/cni/net.d.
          return execa('buildah', ['run', '--isolation', 'chroot', '--network', 'host', ...runFlags(options), id, '--', ...command], { env, reject: false, all: true });
        },
        async rootfs() {
          return (await execa('buildah', ['mount', id], { env })).stdout.trim();
        },
      });
    } finally {
      await execa('buildah', ['rm', id], { env, reject: false });
    }
  }

  async remove(tags: string[]): Promise<void> {
    if (tags.length > 0) await execa('buildah', ['rmi', '--force', ...tags], { env: this.env, reject: false });
  }

  async clearCache(): Promise<void> {
    // --no-cache skips the layer cache; cache mounts live in this folder.
    rmSync(await buildahCacheDir(), { recursive: true, force: true });
  }
}

/** docker buildx on a Docker Engine this run started, through the named buildx builder. */
class DockerBuildx implements Builder {
  constructor(
    readonly name: string,
    private readonly engines: Engines,
    private readonly builderName: string,
  ) {}

  private docker(args: string[], options: { cwd?: string } = {}) {
    return execa('docker', args, { env: this.engines.env(), all: true, reject: false, ...options });
  }

  prepareBases(images: string[]): Promise<string[]> {
    return this.engines.prepareBases(images);
  }

  async build(context: string, o: BuildOptions = {}): Promise<BuildResult> {
    const args = ['buildx', 'build', '--builder', this.builderName, '--progress=plain'];
    if (o.output) args.push('--output', `type=local,dest=${o.output}`);
    else if (o.tag) args.push('--load');
    if (o.tag) args.push('-t', o.tag);
    if (o.target) args.push('--target', o.target);
    if (o.platform) args.push('--platform', o.platform);
    args.push(...buildArgAndSecretFlags(o));
    if (o.timestamp !== undefined) args.push('--build-arg', `SOURCE_DATE_EPOCH=${o.timestamp}`);
    if (o.noCache) args.push('--no-cache');
    const result = await this.docker([...args, '.'], { cwd: context });
    if (result.exitCode !== 0) throw new Error(`docker buildx build failed:\n${String(result.all).slice(-4000)}`);
    const log = String(result.all);
    return { log, ...countBuildkitSteps(log) };
  }

  async inspect(tag: string): Promise<ImageConfig> {
    const [info] = JSON.parse((await this.docker(['image', 'inspect', tag])).stdout);
    // The containerd image store's .Size adds the compressed blobs to the unpacked layers; the
    // layers' own sizes (history) add up to the uncompressed image, as buildah counts it.
    const history = await this.docker(['history', '--human=false', '--format', '{{.Size}}', tag]);
    const size = history.stdout.split('\n').reduce((sum, line) => sum + (Number(line) || 0), 0);
    return imageConfig(info.Config ?? {}, {
      architecture: info.Architecture ?? '',
      id: info.Id ?? '',
      layers: info.RootFS?.Layers ?? [],
      size,
    });
  }

  async withContainer<T>(tag: string, use: (c: Container) => Promise<T>): Promise<T> {
    const extracted = mkdtempSync(path.join(tmpdir(), 'rootfs-'));
    const env = this.engines.env();
    try {
      return await use({
        run(command, options = {}) {
          const [entry, ...args] = command;
          const flags = ['--network', 'host', '--entrypoint', entry!, ...runFlags(options)];
          return execa('docker', ['run', '--rm', ...flags, tag, ...args], { env, reject: false, all: true });
        },
        async rootfs() {
          if (readdirSync(extracted).length === 0) await exportRootfs(env, tag, extracted);
          return extracted;
        },
      });
    } finally {
      rmSync(extracted, { recursive: true, force: true });
    }
  }

  async remove(tags: string[]): Promise<void> {
    if (tags.length > 0) await this.docker(['rmi', '--force', ...tags]);
  }

  async clearCache(): Promise<void> {
    const pruned = await this.docker(['buildx', 'prune', '--builder', this.builderName, '--all', '--force']);
    if (pruned.exitCode !== 0) throw new Error(`docker buildx prune failed:\n${pruned.all}`);
  }
}

/** Steps BuildKit's plain progress shows (FROM left out), and of those the CACHED ones. */
function countBuildkitSteps(log: string): { steps: number; cached: number } {
  const lines = log.split('\n');
  const ids = new Set(lines.filter((l) => /^#\d+ \[[^\]]*\d+\/\d+\] (?!FROM )/.test(l)).map((l) => l.split(' ')[0]));
  const cached = new Set(lines.filter((l) => /^#\d+ CACHED$/.test(l) && ids.has(l.split(' ')[0])).map((l) => l.split(' ')[0]));
  return { steps: ids.size, cached: cached.size };
}

/** Unpacks an image's root file system (for one platform) into dir. */
export async function exportRootfs(env: Record<string, string>, tag: string, dir: string, platform?: string): Promise<void> {
  const id = (await execa('docker', ['create', ...(platform ? ['--platform', platform] : []), tag, 'x'], { env })).stdout.trim();
  try {
    await execa('sh', ['-c', 'docker export "$1" | tar -x -C "$2"', 'sh', id, dir], { env });
  } finally {
    await execa('docker', ['rm', id], { env, reject: false });
  }
}

let buildah: Promise<Builder> | undefined;

/** buildah (Debian's), the second engine; fails when it is not installed. */
export function buildahBuilder(): Promise<Builder> {
  buildah ??= (async () => {
    const version = await execa('buildah', ['--version'], { reject: false }).catch(() => undefined);
    if (version?.exitCode !== 0) throw new Error('buildah is not installed: run `npm run setup`');
    return new Buildah(`buildah ${/version (\S+)/.exec(String(version?.stdout))?.[1] ?? ''}`.trim(), await containersEnv());
  })();
  return buildah;
}

/** The newest BuildKit (buildkitd) through buildx's remote driver, loading into today's Docker Engine. */
export async function buildkitBuilder(): Promise<Builder> {
  const e = await engines();
  const dockerd = await e.useEngine('today');
  return new DockerBuildx(`BuildKit ${e.buildkitd.version} (buildx ${e.buildxVersion}, remote driver; images loaded into Docker Engine ${dockerd.version})`, e, e.remoteBuilder);
}
