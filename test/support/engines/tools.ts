// Where the engines built from the Go module proxy live: test/engines/install-tools.sh builds
// each at its pinned version into a cache folder (a no-op once built; a caller waits while another
// builds it) and prints the folders. Each tool is asked for only when a suite first needs it, so
// a fast suite that needs Compose does not wait for the cluster's build.
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { PACKAGE_ROOT } from '../project.js';

export type ToolName = 'moby' | 'runc' | 'buildkit' | 'buildx' | 'registry' | 'compose' | 'actionlint' | 'busybox-arm64' | 'kubectl' | 'kubernetes' | 'kube-score' | 'helm';

const folders = new Map<ToolName, string>();

/** The folder of one tool, built (or waited for) on first use. */
export function tool(name: ToolName): string {
  const known = folders.get(name);
  if (known) return known;
  const out = execaSync('bash', [path.join(PACKAGE_ROOT, 'test/engines/install-tools.sh'), name], { stderr: 'inherit' }).stdout;
  const dir = String(out).split('\n').find((d) => path.basename(d) === name || path.basename(d).startsWith(`${name}@`));
  if (!dir) throw new Error(`install-tools.sh did not report ${name}`);
  folders.set(name, dir);
  return dir;
}

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
  /** busybox-static for arm64, unpacked from Debian's package. */
  busyboxArm64: string;
}

/** The engines' tools (each built on first use). */
export function tools(): Tools {
  return {
    get moby() {
      return tool('moby');
    },
    get runc() {
      return tool('runc');
    },
    get buildkit() {
      return tool('buildkit');
    },
    get buildx() {
      return tool('buildx');
    },
    get registry() {
      return tool('registry');
    },
    get compose() {
      return tool('compose');
    },
    get busyboxArm64() {
      return path.join(tool('busybox-arm64'), 'bin/busybox');
    },
  };
}

/** The test cluster's tools. */
export interface ClusterTools {
  /** etcd and the Kubernetes servers (kube-apiserver … kube-proxy). */
  kubernetes: string;
  /** kubectl, of the same version. */
  kubectl: string;
  /** kube-score, the manifest linter. */
  kubeScore: string;
  /** Helm v4. */
  helm: string;
}

export function clusterTools(): ClusterTools {
  return {
    get kubernetes() {
      return tool('kubernetes');
    },
    get kubectl() {
      return path.join(tool('kubectl'), 'kubectl');
    },
    get kubeScore() {
      return path.join(tool('kube-score'), 'kube-score');
    },
    get helm() {
      return path.join(tool('helm'), 'helm');
    },
  };
}

/** The version a tool folder was built at: "moby@v2.0.0-beta.24" gives "v2.0.0-beta.24". */
export function versionOf(dir: string): string {
  return path.basename(dir).split('@')[1] ?? '';
}

/** actionlint on a project's generated workflow, with shellcheck on its run: blocks; never rejects. */
export function actionlint(dir: string) {
  return execa(path.join(tool('actionlint'), 'actionlint'), ['-shellcheck', 'shellcheck', '-no-color', '.github/workflows/ci.yml'], { cwd: dir, reject: false, all: true });
}
