// A Docker Engine private to the test run: its own data root, exec root, socket and pid file,
// with the local registry as its docker.io mirror. Two engines:
//   today:  moby v2 (the 29 line) built from the Go module proxy: containerd image store and
//           the newest built-in BuildKit; it needs a runc newer than Debian's, so ours goes
//           first on its PATH, with its docker-proxy.
//   oldest: Debian's docker.io 20.10: the classic image store and an old built-in BuildKit.
// Only one runs at a time: both want the docker0 bridge. Stopping one removes what it added to the
// host's network (docker0, its iptables chains and rules, FORWARD's policy, ip_forward).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { markNetwork } from './netfilter.js';
import { startDaemon, type Daemon } from './process.js';
import { tools } from './tools.js';

export type EngineKind = 'today' | 'oldest';

const RUN_DOCKER = '/run/docker';

/** Removes a folder tree that holds only folders (none of them a mount); anything else stays. */
function rmEmptyFolders(dir: string): void {
  const empty = (d: string): boolean => readdirSync(d, { withFileTypes: true }).every((e) => e.isDirectory() && empty(path.join(d, e.name)));
  if (existsSync(dir) && empty(dir)) rmSync(dir, { recursive: true });
}

export interface Dockerd extends Daemon {
  readonly kind: EngineKind;
  /** e.g. "Docker Engine 29.0.0-v2.0.0-beta.24 (containerd image store; built from the Go module proxy)". */
  readonly description: string;
  readonly version: string;
  /** DOCKER_HOST for the docker CLI. */
  readonly host: string;
}

export async function startDockerd(kind: EngineKind, options: { dir: string; mirror: string }): Promise<Dockerd> {
  // The exec root holds unix sockets, whose paths may not exceed 108 bytes: keep it short.
  const exec = mkdtempSync('/tmp/dg-');
  const data = path.join(options.dir, 'data');
  mkdirSync(data, { recursive: true });
  const socket = path.join(exec, 'docker.sock');
  const host = `unix://${socket}`;
  const t = tools();
  const file = kind === 'today' ? path.join(t.moby, 'dockerd') : '/usr/sbin/dockerd';
  const PATH = [...(kind === 'today' ? [t.runc, t.moby] : []), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
  const docker = (args: string[]) => execa('docker', args, { env: { DOCKER_HOST: host }, reject: false, timeout: 10_000 });
  const network = await markNetwork();
  const owned = /DOCKER|docker0/;
  // dockerd makes /run/docker/plugins whatever its exec root: removed after, when this run made it.
  const plugins = existsSync(RUN_DOCKER) ? undefined : RUN_DOCKER;
  const leave = async () => {
    await network.restore(owned);
    if (plugins) rmEmptyFolders(plugins);
    rmSync(exec, { recursive: true, force: true });
  };
  const daemon = await startDaemon(`dockerd (${kind})`, file, [
    '--data-root', data,
    '--exec-root', exec,
    '--pidfile', path.join(exec, 'docker.pid'),
    '-H', host,
    '--registry-mirror', `http://${options.mirror}`,
    '--log-level', 'warn',
  ], {
    logFile: path.join(options.dir, 'dockerd.log'),
    env: { PATH },
    ready: async () => (await docker(['version'])).exitCode === 0,
    ms: 120_000,
  }).catch(async (error: unknown) => {
    await leave();
    throw error;
  });
  const info = JSON.parse((await docker(['info', '--format', '{{json .}}'])).stdout) as { ServerVersion: string; DriverStatus?: string[][]; Driver?: string };
  const containerdStore = JSON.stringify(info.DriverStatus ?? []).includes('io.containerd.snapshotter');
  return {
    ...daemon,
    async stop() {
      await daemon.stop();
      await leave();
    },
    kind,
    version: info.ServerVersion,
    host,
    description: `Docker Engine ${info.ServerVersion} (${containerdStore ? 'containerd image store' : `classic image store, ${info.Driver}`}; ${kind === 'today' ? 'built from the Go module proxy' : "Debian's docker.io"})`,
  };
}
