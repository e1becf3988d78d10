// Stand-in base images. No public registry is reachable, so the base images a Dockerfile names
// are made here, labelled as stand-ins, under the exact names its FROM lines resolve to:
//   alpine-like (runtime): a busybox userland with a CA bundle, /etc/passwd and /tmp;
//   golang (builder): the same plus this host's Go toolchain, and its git with the libraries it
//     links (the real image's `apk add git` gets Alpine's; the stand-in's apk installs nothing);
//   distroless (runtime): no shell and no userland at all, only a CA bundle, tzdata, /etc/passwd
//     with nonroot (65532), /home/nonroot and /tmp, and USER 65532, as gcr.io/distroless/static:nonroot.
// Runtime bases are multi-arch (amd64, plus arm64 from Debian's busybox-static:arm64); the
// builder runs on $BUILDPLATFORM, so amd64 is enough.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { containersEnv } from './containers.js';
import { tools } from './tools.js';

/** Stand-ins carry this label; bump its value to have older stand-ins made again. */
export const STANDIN_LABEL = 'dev.dockergo.standin';
export const STANDIN_VERSION = '5';


/** docker.io/library/x:tag for short names, as buildah and docker resolve them. */
export function qualify(ref: string): string {
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** The registry host and repository path:tag of a qualified reference. */
export function splitRef(ref: string): { host: string; path: string } {
  const q = qualify(ref);
  const slash = q.indexOf('/');
  return { host: q.slice(0, slash), path: q.slice(slash + 1) };
}

export const isBuilderImage = (ref: string): boolean => /golang/.test(ref);
export const isDistrolessImage = (ref: string): boolean => /distroless/.test(ref);

export type StandinKind = 'golang' | 'busybox' | 'distroless';
export const standinKind = (ref: string): StandinKind => (isBuilderImage(ref) ? 'golang' : isDistrolessImage(ref) ? 'distroless' : 'busybox');

/** What a stand-in holds; runtime stand-ins pushed to the mirror are multi-arch, buildah's local ones amd64 only. */
export function describeStandin(ref: string, options: { multiArch: boolean }): string {
  const arches = options.multiArch ? ', amd64 and arm64' : '';
  if (isBuilderImage(ref)) return "busybox userland + this host's Go toolchain and git";
  if (isDistrolessImage(ref)) return `no shell: CA bundle, tzdata, passwd with nonroot 65532${arches}`;
  return `busybox userland + CA bundle${arches}`;
}

let applets: string[] | undefined;
function busyboxApplets(): string[] {
  // busybox-static lists its applets with --list; read once.
  applets ??= String(execaSync('/bin/busybox', ['--list']).stdout)
    .split('\n')
    .filter((a) => /^[a-z0-9_.-]+$/.test(a) && a !== 'busybox');
  return applets;
}

/** A minimal alpine-like root: busybox and its applets, CA bundle, passwd, /tmp. */
export function buildBusyboxRoot(root: string, busybox = '/bin/busybox'): void {
  for (const dir of ['bin', 'sbin', 'etc/ssl/certs', 'tmp', 'root', 'usr/bin', 'usr/sbin']) mkdirSync(path.join(root, dir), { recursive: true });
  chmodSync(path.join(root, 'tmp'), 0o1777);
  cpSync(busybox, path.join(root, 'bin/busybox'));
  for (const applet of busyboxApplets()) symlinkSync('/bin/busybox', path.join(root, 'bin', applet));
  cpSync('/etc/ssl/certs/ca-certificates.crt', path.join(root, 'etc/ssl/certs/ca-certificates.crt'));
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
}

/** A distroless-like root: no shell, no binaries; a CA bundle, tzdata, passwd with nonroot, home and /tmp. */
export function buildDistrolessRoot(root: string): void {
  for (const dir of ['etc/ssl/certs', 'tmp', 'home/nonroot', 'usr/share']) mkdirSync(path.join(root, dir), { recursive: true });
  chmodSync(path.join(root, 'tmp'), 0o1777);
  cpSync('/etc/ssl/certs/ca-certificates.crt', path.join(root, 'etc/ssl/certs/ca-certificates.crt'));
  cpSync('/usr/share/zoneinfo', path.join(root, 'usr/share/zoneinfo'), { recursive: true, dereference: true });
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n');
}

/** The git programs Go runs (git, and its https helper), at their paths, with the libraries they link. */
const GIT_PROGRAMS = ['/usr/bin/git', '/usr/lib/git-core/git-remote-http', '/usr/lib/git-core/git-http-fetch'];

async function addHostGit(root: string): Promise<void> {
  const libraries = new Set<string>();
  for (const program of GIT_PROGRAMS) {
    mkdirSync(path.join(root, path.dirname(program)), { recursive: true });
    cpSync(program, path.join(root, program), { dereference: true });
    // ldd lists "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x…)" and the loader by its path.
    for (const line of (await execa('ldd', [program])).stdout.split('\n')) {
      const lib = /=> (\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)/.exec(line)?.[1];
      if (lib) libraries.add(lib);
    }
  }
  for (const lib of libraries) {
    mkdirSync(path.join(root, path.dirname(lib)), { recursive: true });
    cpSync(lib, path.join(root, lib), { dereference: true });
  }
  symlinkSync('git-remote-http', path.join(root, 'usr/lib/git-core/git-remote-https'));
  // glibc's resolver reads /etc/hosts (where --add-host writes) before DNS, as musl does.
  writeFileSync(path.join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
}

/** buildah on the run's own storage. */
async function buildah(args: string[], options: { reject?: boolean } = {}) {
  return execa('buildah', args, { env: await containersEnv(), ...options });
}

/** Whether a local buildah image is one of this version's stand-ins. */
export async function isStandin(ref: string): Promise<boolean> {
  const result = await buildah(['inspect', '--type', 'image', '--format', `{{index .Docker.Config.Labels "${STANDIN_LABEL}"}}`, ref], { reject: false });
  return result.exitCode === 0 && result.stdout.trim() === STANDIN_VERSION;
}

/** Commits a stand-in for one architecture into buildah's local store as `name`. */
export async function commitStandin(name: string, options: { kind: StandinKind; arch: 'amd64' | 'arm64' }): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'standin-'));
  const golang = options.kind === 'golang';
  try {
    if (options.kind === 'distroless') buildDistrolessRoot(root);
    else buildBusyboxRoot(root, options.arch === 'arm64' ? tools().busyboxArm64 : '/bin/busybox');
    let pathVar = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    const env: string[] = [];
    if (golang) {
      const goroot = (await execa('go', ['env', 'GOROOT'])).stdout.trim();
      mkdirSync(path.join(root, 'usr/local'), { recursive: true });
      mkdirSync(path.join(root, 'go/bin'), { recursive: true });
      cpSync(goroot, path.join(root, 'usr/local/go'), { recursive: true, dereference: true });
      pathVar = `/go/bin:/usr/local/go/bin:${pathVar}`;
      env.push('GOPATH=/go', 'GOTOOLCHAIN=local', 'HOME=/root');
      // The real golang:alpine has apk; the stand-in cannot reach Alpine's repositories.
      // Its apk says so and succeeds, so a Dockerfile's `apk add git` step still runs, and
      // finds the git that step would have installed: this host's, with what it links.
      writeFileSync(path.join(root, 'sbin/apk'), '#!/bin/sh\necho "stand-in apk: installs nothing: apk $*" >&2\n');
      chmodSync(path.join(root, 'sbin/apk'), 0o755);
      await addHostGit(root);
    }
    const container = (await buildah(['from', '--arch', options.arch, 'scratch'])).stdout.trim();
    await buildah(['copy', '--quiet', container, `${root}/`, '/']);
    await buildah([
      'config',
      '--arch', options.arch,
      '--os', 'linux',
      ...[`PATH=${pathVar}`, ...env].flatMap((e) => ['--env', e]),
      '--label', `${STANDIN_LABEL}=${STANDIN_VERSION}`,
      ...(golang ? ['--workingdir', '/go'] : []),
      ...(options.kind === 'distroless' ? ['--user', '65532', '--workingdir', '/home/nonroot'] : []),
      container,
    ]);
    await buildah(['commit', '--quiet', '--rm', container, name]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Pushes a stand-in for `ref` to `registry` (host:port) at the same repository path, so a
 * mirror serves it under its docker.io name. Runtime bases go as an amd64 + arm64 index.
 */
export async function pushStandin(ref: string, registry: string): Promise<void> {
  const target = `docker://${registry}/${splitRef(ref).path}`;
  const kind = standinKind(ref);
  if (kind === 'golang') {
    const local = 'localhost/dockergo-standin-golang:amd64';
    if (!(await isStandin(local))) await commitStandin(local, { kind, arch: 'amd64' });
    await buildah(['push', '--quiet', '--tls-verify=false', local, target]);
    return;
  }
  const list = `localhost/dockergo-standin-${kind}:list`;
  for (const arch of ['amd64', 'arm64'] as const) {
    const local = `localhost/dockergo-standin-${kind}:${arch}`;
    if (!(await isStandin(local))) await commitStandin(local, { kind, arch });
  }
  await buildah(['manifest', 'rm', list], { reject: false });
  await buildah(['manifest', 'create', list]);
  for (const arch of ['amd64', 'arm64']) await buildah(['manifest', 'add', list, `containers-storage:localhost/dockergo-standin-${kind}:${arch}`]);
  await buildah(['manifest', 'push', '--quiet', '--all', '--tls-verify=false', list, target]);
}

/**
 * The Dockerfile frontend built from BuildKit's module, pushed as docker/dockerfile:1, so the
 * generated `# syntax=docker/dockerfile:1` line resolves through the mirror unchanged.
 */
export async function pushFrontend(registry: string): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'frontend-'));
  try {
    mkdirSync(path.join(root, 'bin'));
    cpSync(path.join(tools().buildkit, 'dockerfile-frontend'), path.join(root, 'bin/dockerfile-frontend'));
    const container = (await buildah(['from', 'scratch'])).stdout.trim();
    await buildah(['copy', '--quiet', container, `${root}/`, '/']);
    await buildah([
      'config',
      '--entrypoint', '["/bin/dockerfile-frontend"]',
      '--label', 'moby.buildkit.frontend.network.none=true',
      '--label', 'moby.buildkit.frontend.caps=moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts',
      '--label', `${STANDIN_LABEL}=${STANDIN_VERSION}`,
      container,
    ]);
    await buildah(['commit', '--quiet', '--rm', container, 'localhost/dockergo-standin-frontend:1']);
    await buildah(['push', '--quiet', '--tls-verify=false', 'localhost/dockergo-standin-frontend:1', `docker://${registry}/docker/dockerfile:1`]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The SPDX in-toto statement the stand-in scanner writes: a document naming what it saw. */
const SCANNER_SCRIPT = [
  'files=$(find "$BUILDKIT_SCAN_SOURCE" -type f | wc -l)',
  'printf \'{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[],' +
    '"predicate":{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"dockergo stand-in scanner",' +
    '"comment":"STAND-IN: %s files scanned"}}\' "$files" > "$BUILDKIT_SCAN_DESTINATION/sbom.spdx.json"',
].join('; ');

/**
 * A stand-in for BuildKit's SBOM scanner (docker/buildkit-syft-scanner, which no registry here
 * serves), pushed as docker.io/dockergo/sbom-scanner:standin: it follows BuildKit's scanner
 * protocol (BUILDKIT_SCAN_SOURCE in, an in-toto statement per file in BUILDKIT_SCAN_DESTINATION)
 * with a document that only counts the image's files. Returns its name for SBOM_GENERATOR.
 */
export async function pushSbomScanner(registry: string): Promise<string> {
  const name = 'dockergo/sbom-scanner:standin';
  const local = 'localhost/dockergo-standin-sbom-scanner:amd64';
  if (!(await isStandin(local))) {
    const root = mkdtempSync(path.join(tmpdir(), 'scanner-'));
    try {
      buildBusyboxRoot(root);
      const container = (await buildah(['from', 'scratch'])).stdout.trim();
      await buildah(['copy', '--quiet', container, `${root}/`, '/']);
      await buildah([
        'config',
        '--entrypoint', JSON.stringify(['/bin/sh', '-c', SCANNER_SCRIPT]),
        '--env', 'PATH=/bin',
        '--label', `${STANDIN_LABEL}=${STANDIN_VERSION}`,
        container,
      ]);
      await buildah(['commit', '--quiet', '--rm', container, local]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  await buildah(['push', '--quiet', '--tls-verify=false', local, `docker://${registry}/${name}`]);
  return name;
}
