// Where the engines built from the Go module proxy live: test/engines/install-tools.sh builds
// each at its pinned version into a cache folder (a no-op once built) and prints the folders.
import path from 'node:path';
import { execa, execaSync } from 'execa';
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
  /** docker-compose, the CLI plugin (Compose v5). */
  compose: string;
  /** actionlint, which lints GitHub workflows (and their run: blocks with shellcheck). */
  actionlint: string;
  /** busybox-static for arm64, unpacked from Debian's package. */
  busyboxArm64: string;
}

/** The test cluster's tools, built apart from the engines (CI builds them while the other suites run). */
export interface ClusterTools {
  /** etcd and the Kubernetes components (kube-apiserver … kubectl). */
  kubernetes: string;
  /** kube-score, the manifest linter. */
  kubeScore: string;
}

let cached: Tools | undefined;
let cachedCluster: ClusterTools | undefined;

/** Runs install-tools.sh for `what`, and finds each tool's folder in what it prints. */
function install(what: 'engines' | 'cluster'): (name: string) => string {
  const out = execaSync('bash', [path.join(PACKAGE_ROOT, 'test/engines/install-tools.sh'), what], { stderr: 'inherit' }).stdout;
  const dirs = String(out).split('\n').filter(Boolean);
  return (name: string): string => {
    const dir = dirs.find((d) => path.basename(d) === name || path.basename(d).startsWith(`${name}@`));
    if (!dir) throw new Error(`install-tools.sh did not report ${name}`);
    return dir;
  };
}

/** The cluster's tools: waits while another run of install-tools.sh builds them. */
export function clusterTools(): ClusterTools {
  if (cachedCluster) return cachedCluster;
  const find = install('cluster');
  cachedCluster = { kubernetes: find('kubernetes'), kubeScore: find('kube-score') };
  return cachedCluster;
}

export function tools(): Tools {
  if (cached) return cached;
  const find = install('engines');
  const busyboxArm64 = path.join(find('busybox-arm64'), 'bin/busybox');
  cached = {
    moby: find('moby'),
    runc: find('runc'),
    buildkit: find('buildkit'),
    buildx: find('buildx'),
    registry: find('registry'),
    compose: find('compose'),
    actionlint: find('actionlint'),
    busyboxArm64,
  };
  return cached;
}

/** The version a tool folder was built at: "moby@v2.0.0-beta.24" gives "v2.0.0-beta.24". */
export function versionOf(dir: string): string {
  return path.basename(dir).split('@')[1] ?? '';
}

/** actionlint on a project's generated workflow, with shellcheck on its run: blocks; never rejects. */
export function actionlint(dir: string) {
  return execa(path.join(tools().actionlint, 'actionlint'), ['-shellcheck', 'shellcheck', '-no-color', '.github/workflows/ci.yml'], { cwd: dir, reject: false, all: true });
}
