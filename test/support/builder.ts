// The image builder the tests use: docker buildx when a Docker engine answers, else buildah.
// With no registry, buildah builds on stand-in base images made here under the exact names
// the Dockerfile's FROM lines resolve to (see README, "How it is tested").
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, execaSync, type ResultPromise } from 'execa';

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
}

/** Stand-ins carry this label; bump its value to have older stand-ins made again. */
const STANDIN_LABEL = 'dev.dockergo.standin';

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
const STANDIN_VERSION = '2';

/** docker.io/library/x:tag for short names, as buildah and docker resolve them. */
export function qualify(ref: string): string {
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
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
  readonly env = { STORAGE_DRIVER: process.env['STORAGE_DRIVER'] ?? 'overlay', BUILDAH_ISOLATION: 'chroot' };
  constructor(readonly name: string) {}

  private buildah(args: string[], options: { cwd?: string } = {}) {
    return execa('buildah', args, { env: this.env, all: true, ...options });
  }

  /** Whether ref is one of this version's stand-ins. */
  private async isStandin(ref: string): Promise<boolean> {
    const result = await execa('buildah', ['inspect', '--type', 'image', '--format', `{{index .Docker.Config.Labels "${STANDIN_LABEL}"}}`, ref], {
      env: this.env,
      reject: false,
    });
    return result.exitCode === 0 && result.stdout.trim() === STANDIN_VERSION;
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
      if (!(await this.isStandin(image))) await this.makeStandin(image);
      report.push(`${image}: STAND-IN (${/golang/.test(image) ? 'busybox userland + this host\'s Go toolchain' : 'busybox userland + CA bundle'}); no registry answered`);
    }
    return report;
  }

  private async makeStandin(image: string): Promise<void> {
    const root = mkdtempSync(path.join(tmpdir(), 'standin-'));
    try {
      buildBusyboxRoot(root);
      const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
      if (/golang/.test(image)) {
        const goroot = (await execa('go', ['env', 'GOROOT'])).stdout.trim();
        mkdirSync(path.join(root, 'usr/local'), { recursive: true });
        mkdirSync(path.join(root, 'go/bin'), { recursive: true });
        cpSync(goroot, path.join(root, 'usr/local/go'), { recursive: true, dereference: true });
        env.splice(0, 1, 'PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
        env.push('GOPATH=/go', 'GOTOOLCHAIN=local', 'HOME=/root');
        // The real golang:alpine has apk; the stand-in cannot reach Alpine's repositories.
        // Its apk says so and succeeds, so a Dockerfile's `apk add git` step still runs.
        writeFileSync(path.join(root, 'sbin/apk'), '#!/bin/sh\necho "stand-in apk: skipped: apk $*" >&2\n');
        chmodSync(path.join(root, 'sbin/apk'), 0o755);
      }
      const container = (await this.buildah(['from', 'scratch'])).stdout.trim();
      await this.buildah(['copy', '--quiet', container, `${root}/`, '/']);
      await this.buildah(['config', ...env.flatMap((e) => ['--env', e]), '--label', `${STANDIN_LABEL}=${STANDIN_VERSION}`, ...(/golang/.test(image) ? ['--workingdir', '/go'] : []), container]);
      await this.buildah(['commit', '--quiet', '--rm', container, image]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  async build(context: string, o: BuildOptions = {}): Promise<BuildResult> {
    const args = ['build', '--layers', '--pull=never', '--isolation', 'chroot', '--format', o.format ?? 'docker'];
    if (o.tag) args.push('-t', o.tag);
    if (o.target) args.push('--target', o.target);
    if (o.platform) args.push('--platform', o.platform, '--build-arg', `BUILDPLATFORM=${hostPlatform()}`);
    if (o.output) args.push('--output', `type=local,dest=${o.output}`);
    for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    for (const [id, src] of Object.entries(o.secrets ?? {})) args.push('--secret', `id=${id},src=${src}`);
    if (o.timestamp !== undefined) args.push('--timestamp', String(o.timestamp));
    if (o.noCache) args.push('--no-cache');
    const result = await execa('buildah', [...args, '.'], { cwd: context, env: this.env, all: true, reject: false });
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
          const flags = [
            ...Object.entries(options.volumes ?? {}).flatMap(([host, target]) => ['-v', `${host}:${target}`]),
            ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
          ];
          return execa('buildah', ['run', '--isolation', 'chroot', ...flags, id, '--', ...command], { env, reject: false, all: true });
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
}

/** A minimal alpine-like root: busybox and its applets, CA bundle, passwd, /tmp. */
function buildBusyboxRoot(root: string): void {
  for (const dir of ['bin', 'sbin', 'etc/ssl/certs', 'tmp', 'root', 'usr/bin', 'usr/sbin']) mkdirSync(path.join(root, dir), { recursive: true });
  chmodSync(path.join(root, 'tmp'), 0o1777);
  cpSync('/bin/busybox', path.join(root, 'bin/busybox'));
  for (const applet of busyboxApplets()) {
    if (applet !== 'busybox') symlinkSync('/bin/busybox', path.join(root, 'bin', applet));
  }
  cpSync('/etc/ssl/certs/ca-certificates.crt', path.join(root, 'etc/ssl/certs/ca-certificates.crt'));
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
}

let applets: string[] | undefined;
function busyboxApplets(): string[] {
  if (!applets) {
    // busybox-static lists its applets with --list; the cli's own output, read once.
    const out = execaSyncText('/bin/busybox', ['--list']);
    applets = out.split('\n').filter((a) => /^[a-z0-9_.[-]+$/.test(a) && a !== '[' && a !== '[[');
  }
  return applets;
}

function execaSyncText(file: string, args: string[]): string {
  return String(execaSync(file, args).stdout);
}

class DockerBuildx implements Builder {
  readonly name = 'docker buildx';

  async prepareBases(images: string[]): Promise<string[]> {
    const report: string[] = [];
    for (const image of [...new Set(images.map(qualify))]) {
      await execa('docker', ['pull', '--quiet', image]);
      report.push(`${image}: the real image, pulled`);
    }
    return report;
  }

  async build(context: string, o: BuildOptions = {}): Promise<BuildResult> {
    const args = ['buildx', 'build', '--progress=plain'];
    if (o.output) args.push('--output', `type=local,dest=${o.output}`);
    else args.push('--load');
    if (o.tag) args.push('-t', o.tag);
    if (o.target) args.push('--target', o.target);
    if (o.platform) args.push('--platform', o.platform);
    for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    for (const [id, src] of Object.entries(o.secrets ?? {})) args.push('--secret', `id=${id},src=${src}`);
    if (o.timestamp !== undefined) args.push('--build-arg', `SOURCE_DATE_EPOCH=${o.timestamp}`);
    if (o.noCache) args.push('--no-cache');
    const result = await execa('docker', [...args, '.'], { cwd: context, all: true, reject: false });
    if (result.exitCode !== 0) throw new Error(`docker buildx build failed:\n${String(result.all).slice(-4000)}`);
    const log = String(result.all);
    const steps = log.split('\n').filter((l) => /^#\d+ \[[^\]]*\d+\/\d+\] (?!FROM )/.test(l));
    const ids = new Set(steps.map((l) => l.split(' ')[0]));
    const cached = log.split('\n').filter((l) => /^#\d+ CACHED$/.test(l) && ids.has(l.split(' ')[0])).length;
    return { log, steps: ids.size, cached };
  }

  async inspect(tag: string): Promise<ImageConfig> {
    const [info] = JSON.parse((await execa('docker', ['image', 'inspect', tag])).stdout);
    return imageConfig(info.Config ?? {}, {
      architecture: info.Architecture ?? '',
      id: info.Id ?? '',
      layers: info.RootFS?.Layers ?? [],
      size: info.Size ?? 0,
    });
  }

  async withContainer<T>(tag: string, use: (c: Container) => Promise<T>): Promise<T> {
    const extracted = mkdtempSync(path.join(tmpdir(), 'rootfs-'));
    try {
      return await use({
        run(command, options = {}) {
          const [entry, ...args] = command;
          const flags = [
            '--network', 'host', '--entrypoint', entry!,
            ...Object.entries(options.volumes ?? {}).flatMap(([host, target]) => ['-v', `${host}:${target}`]),
            ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
          ];
          return execa('docker', ['run', '--rm', ...flags, tag, ...args], { reject: false, all: true });
        },
        async rootfs() {
          if (readdirSync(extracted).length === 0) {
            const id = (await execa('docker', ['create', tag])).stdout.trim();
            await execa('sh', ['-c', `docker export "${id}" | tar -x -C "${extracted}"`]);
            await execa('docker', ['rm', id]);
          }
          return extracted;
        },
      });
    } finally {
      rmSync(extracted, { recursive: true, force: true });
    }
  }

  async remove(tags: string[]): Promise<void> {
    if (tags.length > 0) await execa('docker', ['rmi', '--force', ...tags], { reject: false });
  }
}

let chosen: Promise<Builder> | undefined;

/** docker buildx when `docker info` answers, else buildah; fails when neither is installed. */
export function builder(): Promise<Builder> {
  chosen ??= (async () => {
    const docker = await execa('docker', ['info'], { reject: false, timeout: 20_000 }).catch(() => undefined);
    if (docker?.exitCode === 0) return new DockerBuildx();
    const version = await execa('buildah', ['--version'], { reject: false }).catch(() => undefined);
    if (version?.exitCode !== 0) throw new Error('neither a Docker engine nor buildah is available: run `npm run setup`');
    return new Buildah(`buildah ${/version (\S+)/.exec(String(version?.stdout))?.[1] ?? ''}`.trim());
  })();
  return chosen;
}
