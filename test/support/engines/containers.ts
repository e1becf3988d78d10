// buildah's and podman's storage, private to the test run, as the Docker Engines have data roots of
// their own: a graph root and a run root (containers-storage.conf), a TMPDIR where buildah keeps
// its cache mounts, and containers.conf (runc, which works on this machine's cgroups where crun
// does not; no default ulimits, which exceed this machine's hard limit; and podman's CNI network
// on a bridge and in a config folder of the run's own). Nothing already in the machine's storage
// changes a result, and nothing the tests build stays behind: stopContainers() removes every
// container, unmounts what the storage mounted, and removes the folder.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { markNetwork, type NetworkMark } from './netfilter.js';
import { refuseInFastSuites, unmountBelow } from './process.js';

/** podman's bridge, subnet and network name: none of them the defaults (cni-podman0, 10.88.0.0/16, podman). */
const BRIDGE = 'dg-podman0';
const SUBNET = '10.89.213.0/24';
const NETWORK = 'dockergo';

interface Storage {
  root: string;
  env: Record<string, string>;
  network: NetworkMark;
  /** Machine folders buildah writes whatever its storage (the blob-info cache): removed after, when absent before. */
  absent: string[];
}

const MACHINE_FOLDERS = ['/var/lib/containers'];

let storage: Storage | undefined;
let marking: Promise<NetworkMark> | undefined;

/** A CNI network list for podman, whose IP allocations live in the run's folder. */
function cniNetwork(root: string): string {
  return JSON.stringify({
    cniVersion: '0.4.0',
    name: NETWORK,
    plugins: [
      {
        type: 'bridge',
        bridge: BRIDGE,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: SUBNET, gateway: SUBNET.replace(/0\/24$/, '1') }]], dataDir: path.join(root, 'cni-ipam') },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'firewall', backend: 'iptables' },
    ],
  });
}

/** The environment for buildah and podman on the run's own storage, made on first use. */
export async function containersEnv(): Promise<Record<string, string>> {
  if (storage) return storage.env;
  refuseInFastSuites('buildah or podman');
  // Marked before podman first runs: its network is removed when the run ends.
  marking ??= markNetwork();
  const network = await marking;
  if (storage) return (storage as Storage).env;
  const root = mkdtempSync(path.join(tmpdir(), 'dockergo-containers-'));
  const dir = (name: string) => {
    const d = path.join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const driver = process.env['STORAGE_DRIVER'] ?? 'overlay';
  writeFileSync(
    path.join(root, 'storage.conf'),
    ['[storage]', `driver = "${driver}"`, `graphroot = "${dir('storage')}"`, `runroot = "${dir('run')}"`, ''].join('\n'),
  );
  const cni = dir('cni');
  writeFileSync(path.join(cni, `${NETWORK}.conflist`), cniNetwork(root));
  writeFileSync(
    path.join(root, 'containers.conf'),
    [
      '[containers]',
      'default_ulimits = []',
      '[engine]',
      'runtime = "runc"',
      `tmp_dir = "${dir('engine-tmp')}"`,
      '[network]',
      'network_backend = "cni"',
      `network_config_dir = "${cni}"`,
      `default_network = "${NETWORK}"`,
      '',
    ].join('\n'),
  );
  const env = {
    CONTAINERS_STORAGE_CONF: path.join(root, 'storage.conf'),
    CONTAINERS_CONF: path.join(root, 'containers.conf'),
    // buildah keeps RUN --mount=type=cache folders in $TMPDIR/buildah-cache-<uid>.
    TMPDIR: dir('tmp'),
    STORAGE_DRIVER: driver,
    BUILDAH_ISOLATION: 'chroot',
  };
  storage = { root, env, network, absent: MACHINE_FOLDERS.filter((dir) => !existsSync(dir)) };
  return env;
}

/** The folder of buildah's cache mounts: emptied for a cold build. */
export async function buildahCacheDir(): Promise<string> {
  return path.join((await containersEnv())['TMPDIR']!, `buildah-cache-${process.getuid?.() ?? 0}`);
}

/** Removes every container of the run's storage, what it mounted, podman's network, and the folder. */
export async function stopContainers(): Promise<void> {
  if (!storage) return;
  const { root, env, network, absent } = storage;
  storage = undefined;
  marking = undefined;
  const quiet = { env, reject: false, timeout: 120_000 } as const;
  await execa('podman', ['rm', '--all', '--force', '--time', '0'], quiet).catch(() => undefined);
  await execa('buildah', ['rm', '--all'], quiet).catch(() => undefined);
  await unmountBelow(root);
  await network.restore(new RegExp(`CNI-|${BRIDGE}|${SUBNET.replace(/[./]/g, '\\$&')}`));
  rmSync(root, { recursive: true, force: true });
  for (const dir of absent) rmSync(dir, { recursive: true, force: true });
}
