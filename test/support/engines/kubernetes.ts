// A real single-node Kubernetes, private to the test run (../shared/notes/kubernetes.md):
//   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy, built
//   from k8s.io/kubernetes through the Go module proxy at a pinned version (install-tools.sh);
//   Debian's containerd and runc, with its own root, state and socket; Debian's CNI plugins on a
//   bridge of the run's own (10.244.0.1/24), the service range routed onto it;
//   a pause image built here and served by the test mirror under registry.k8s.io's name.
// Every server binds to 127.0.0.1 or the run's bridge. stop() kills what start() started, by PID,
// then removes the pods' namespaces and mounts, the iptables chains the cluster added, the
// kubepods cgroups, the route and the bridge. It never touches a daemon it did not start.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { freePort } from '../service.js';
import { markNetwork } from './netfilter.js';
import { refuseInFastSuites, startDaemon, unmountBelow, type Daemon } from './process.js';
import { containersEnv } from './containers.js';
import { clusterTools, versionOf } from './tools.js';
import type { Registry } from './registry.js';

export const NODE_NAME = 'dockergo-node';
export const NODE_IP = '10.244.0.1';
const POD_CIDR = '10.244.0.0/24';
const SERVICE_CIDR = '10.96.0.0/24';
const BRIDGE = 'dg-k8s0';
const BRIDGE_MAC = '02:64:67:6b:38:30';
/** The run's own FORWARD chain (KUBE-: the network mark's restore takes it too, should stop() not get to it). */
const FORWARD_CHAIN = 'KUBE-DOCKERGO-FORWARD';
/** The sandbox image containerd's CRI names; the run builds it and the mirror serves it. */
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';

export interface Cluster extends Daemon {
  /** e.g. "v1.34.4". */
  readonly version: string;
  readonly etcdVersion: string;
  readonly containerdVersion: string;
  readonly kubeconfig: string;
  /** The kubectl built with the cluster. */
  readonly kubectl: string;
  /** Seconds from the first daemon's start to a Ready node. */
  readonly startSeconds: number;
  /** KUBECONFIG and KUBECTL for build.sh, and PATH with kubectl first. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Runs kubectl; never rejects unless told to. */
  run(args: string[], options?: Options): ReturnType<typeof execa>;
  /** The PID on this host of a container's main process, from its status's containerID (containerd://…). */
  pidOf(containerID: string): Promise<number>;
  /** A namespace that enforces Pod Security "restricted" (warn and audit too); deleted when the cluster stops. */
  restrictedNamespace(name: string): Promise<string>;
}

export interface ClusterOptions {
  dir: string;
  /** The open registry: the pause image goes there, under registry.k8s.io's path. */
  mirror: Registry;
  /** Registries containerd pulls from over plain http. */
  httpRegistries: string[];
}

const sh = (file: string, args: string[], options: Options = {}) => execa(file, args, { reject: false, all: true, ...options });

/** openssl, in the certificate folder. */
class Certificates {
  constructor(private readonly dir: string) {}

  private openssl(args: string[]) {
    return execa('openssl', args, { cwd: this.dir });
  }

  async ca(): Promise<void> {
    await this.openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', '/CN=dockergo-test-ca']);
  }

  /** A key and a certificate signed by the CA: name.key, name.crt. */
  async issue(name: string, subject: string, options: { sans?: string[]; server?: boolean } = {}): Promise<void> {
    await this.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    const ext = [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${options.server ? 'serverAuth,clientAuth' : 'clientAuth'}`,
      ...(options.sans ? [`subjectAltName=${options.sans.join(',')}`] : []),
    ];
    writeFileSync(path.join(this.dir, `${name}.ext`), `${ext.join('\n')}\n`);
    await this.openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  }

  /** The service-account signing pair. */
  async serviceAccountKey(): Promise<void> {
    await this.openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key']);
    await this.openssl(['ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }
}

function kubeconfig(file: string, server: string, ca: string, cert: string, key: string): string {
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: dockergo\n  cluster:\n    server: ${server}\n    certificate-authority: ${ca}`,
      'users:',
      `- name: user\n  user:\n    client-certificate: ${cert}\n    client-key: ${key}`,
      'contexts:',
      '- name: dockergo\n  context:\n    cluster: dockergo\n    user: user',
      'current-context: dockergo',
      '',
    ].join('\n'),
  );
  return file;
}

/** The pause image: a static Go program that sleeps until a signal and reaps children, as user 65535. */
async function pushPauseImage(dir: string, mirror: string): Promise<void> {
  const src = path.join(dir, 'pause');
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'go.mod'), 'module dockergo.test/pause\n\ngo 1.22\n');
  writeFileSync(
    path.join(src, 'main.go'),
    `// Command pause holds a pod's namespaces: it waits for SIGINT or SIGTERM and reaps children.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			return
		}
		for {
			var status syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
`,
  );
  await execa('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', 'pause', '.'], { cwd: src, env: { CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' } });
  const env = await containersEnv();
  const buildah = (args: string[]) => execa('buildah', args, { env });
  const container = (await buildah(['from', 'scratch'])).stdout.trim();
  try {
    await buildah(['copy', container, path.join(src, 'pause'), '/pause']);
    await buildah(['config', '--entrypoint', '["/pause"]', '--user', '65535:65535', '--os', 'linux', '--arch', 'amd64', container]);
    await buildah(['commit', '--quiet', container, 'localhost/dockergo-pause:test']);
  } finally {
    await execa('buildah', ['rm', container], { env, reject: false });
  }
  await buildah(['push', '--quiet', '--tls-verify=false', 'localhost/dockergo-pause:test', `docker://${mirror}/${PAUSE_IMAGE.split('/').slice(1).join('/')}`]);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const t = clusterTools();
  const bin = (name: string) => path.join(t.kubernetes, name);
  const kubectlBin = t.kubectl;
  const dir = options.dir;
  const sub = (name: string): string => {
    const d = path.join(dir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const stops: (() => Promise<void>)[] = [];
  const network = await markNetwork();
  const netnsBefore = new Set(existsSync('/var/run/netns') ? readdirSync('/var/run/netns') : []);
  // containerd's state holds unix sockets (108-byte limit): a short path of its own.
  const state = mkdtempSync('/tmp/dgk-');
  const namespaces: string[] = [];
  let apiServer = '';
  let adminConfig = '';
  const kubectl = (args: string[], opts: Options = {}) => sh(kubectlBin, ['--kubeconfig', adminConfig, ...args], opts);

  /** Starts one of the cluster's binaries, logging to <name>.log, and stops it with the cluster. */
  const daemon = async (name: string, args: string[], ready: () => Promise<boolean> = () => Promise.resolve(true), ms?: number): Promise<Daemon> => {
    const one = await startDaemon(name, bin(name), args, { logFile: path.join(dir, `${name}.log`), ready, ...(ms ? { ms } : {}) });
    stops.push(() => one.stop());
    return one;
  };
  const stop = async (): Promise<void> => {
    for (const ns of namespaces.splice(0)) await kubectl(['delete', 'namespace', ns, '--wait=false'], { timeout: 10_000 }).catch(() => undefined);
    for (const s of stops.splice(0).reverse()) await s().catch((error) => console.error(`      stopping the cluster: ${String(error)}`));
    rmSync(state, { recursive: true, force: true });
  };

  // Last of all: what kube-proxy --cleanup leaves, the kubelet's chains (KUBE-FIREWALL,
  // KUBE-KUBELET-CANARY …) and portmap's (CNI-HOSTPORT-*).
  stops.push(() => network.restore(/KUBE-|CNI-/));
  const started = Date.now();
  try {
    // Certificates and kubeconfigs.
    const certs = new Certificates(sub('pki'));
    await certs.ca();
    await certs.serviceAccountKey();
    await certs.issue('apiserver', '/CN=kube-apiserver', {
      server: true,
      sans: ['IP:127.0.0.1', 'IP:10.96.0.1', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local'],
    });
    await certs.issue('admin', '/O=system:masters/CN=dockergo-admin');
    await certs.issue('apiserver-kubelet', '/O=system:masters/CN=kube-apiserver-kubelet-client');
    await certs.issue('controller-manager', '/CN=system:kube-controller-manager');
    await certs.issue('scheduler', '/CN=system:kube-scheduler');
    await certs.issue('proxy', '/CN=system:kube-proxy');
    await certs.issue('node', `/O=system:nodes/CN=system:node:${NODE_NAME}`);
    await certs.issue('kubelet-serving', `/O=system:nodes/CN=system:node:${NODE_NAME}`, { server: true, sans: [`IP:${NODE_IP}`, `DNS:${NODE_NAME}`] });

    const [etcdClient, etcdPeer, etcdMetrics, apiPort, cmPort, schedPort, kubeletPort, kubeletHealthz, proxyHealthz, proxyMetrics] = await Promise.all(
      Array.from({ length: 10 }, () => freePort()),
    );
    apiServer = `https://127.0.0.1:${apiPort}`;
    const configs = sub('kubeconfig');
    const config = (name: string, cert: string) => kubeconfig(path.join(configs, `${name}.yaml`), apiServer, certs.file('ca.crt'), certs.file(`${cert}.crt`), certs.file(`${cert}.key`));
    adminConfig = config('admin', 'admin');

    // etcd.
    await daemon('etcd', [
      '--name', 'default',
      '--data-dir', sub('etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`,
      '--listen-metrics-urls', `http://127.0.0.1:${etcdMetrics}`,
      '--unsafe-no-fsync',
      '--log-level', 'warn',
    ], async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`, { signal: AbortSignal.timeout(2000) })).ok);

    await daemon('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--client-ca-file=${certs.file('ca.crt')}`,
      `--tls-cert-file=${certs.file('apiserver.crt')}`,
      `--tls-private-key-file=${certs.file('apiserver.key')}`,
      `--kubelet-client-certificate=${certs.file('apiserver-kubelet.crt')}`,
      `--kubelet-client-key=${certs.file('apiserver-kubelet.key')}`,
      `--kubelet-certificate-authority=${certs.file('ca.crt')}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.file('sa.pub')}`,
      `--service-account-signing-key-file=${certs.file('sa.key')}`,
      '--profiling=false',
    ], async () => (await kubectl(['get', '--raw', '/readyz'], { timeout: 5000 })).exitCode === 0, 120_000);

    await daemon('kube-controller-manager', [
      `--kubeconfig=${config('controller-manager', 'controller-manager')}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cmPort}`,
      '--leader-elect=false',
      '--use-service-account-credentials',
      `--service-account-private-key-file=${certs.file('sa.key')}`,
      `--root-ca-file=${certs.file('ca.crt')}`,
      `--cluster-signing-cert-file=${certs.file('ca.crt')}`,
      `--cluster-signing-key-file=${certs.file('ca.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // The HPA controller needs metrics, which no metrics-server here serves.
      '--controllers=*,-horizontalpodautoscaling',
      '--profiling=false',
    ]);

    await daemon('kube-scheduler', [
      `--kubeconfig=${config('scheduler', 'scheduler')}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedPort}`,
      '--leader-elect=false',
      '--profiling=false',
    ]);

    // The network: a bridge of the run's own, with the node IP, and the service range on it.
    // A fixed (locally administered) address: a bridge without one takes the lowest of its ports',
    // which changes as pods come and go, and leaves the pods' ARP entry for the node stale.
    await execa('ip', ['link', 'add', BRIDGE, 'address', BRIDGE_MAC, 'type', 'bridge']);
    stops.push(async () => void (await sh('ip', ['link', 'delete', BRIDGE])));
    await execa('ip', ['addr', 'add', `${NODE_IP}/24`, 'dev', BRIDGE]);
    await execa('ip', ['link', 'set', BRIDGE, 'up']);
    await execa('ip', ['route', 'replace', SERVICE_CIDR, 'dev', BRIDGE, 'src', NODE_IP]);
    stops.push(async () => void (await sh('ip', ['route', 'delete', SERVICE_CIDR, 'dev', BRIDGE])));
    // A pod that calls a Service (helm test does) goes through the host: kube-proxy's DNAT, then
    // forwarding back onto the bridge, which a Docker Engine's FORWARD policy (DROP) would refuse.
    // Forwarding is put back by the network mark; the chain goes with the cluster.
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
    await execa('iptables', ['-N', FORWARD_CHAIN]);
    await execa('iptables', ['-A', FORWARD_CHAIN, '-i', BRIDGE, '-o', BRIDGE, '-j', 'ACCEPT']);
    await execa('iptables', ['-I', 'FORWARD', '1', '-j', FORWARD_CHAIN]);
    stops.push(async () => {
      await sh('iptables', ['-D', 'FORWARD', '-j', FORWARD_CHAIN]);
      await sh('iptables', ['-F', FORWARD_CHAIN]);
      await sh('iptables', ['-X', FORWARD_CHAIN]);
    });
    const cniConf = sub('cni/net.d');
    writeFileSync(
      path.join(cniConf, '10-dockergo.conflist'),
      JSON.stringify({
        cniVersion: '0.4.0',
        name: 'dockergo',
        plugins: [
          {
            type: 'bridge',
            bridge: BRIDGE,
            // No gateway address from the plugin (the bridge has ours), so it never sets ip_forward.
            isGateway: false,
            ipMasq: false,
            hairpinMode: true,
            ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR, gateway: NODE_IP }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: sub('cni/ipam') },
          },
          { type: 'portmap', capabilities: { portMappings: true } },
        ],
      }),
    );

    // containerd, pulling over plain http from the test registries, registry.k8s.io from the mirror.
    const hosts = sub('containerd/certs.d');
    const hostsToml = (host: string, server: string, mirror?: string) => {
      mkdirSync(path.join(hosts, host), { recursive: true });
      const lines = [`server = "${server}"`, ...(mirror ? [`[host."http://${mirror}"]`, '  capabilities = ["pull", "resolve"]'] : [])];
      writeFileSync(path.join(hosts, host, 'hosts.toml'), `${lines.join('\n')}\n`);
    };
    hostsToml('registry.k8s.io', 'https://registry.k8s.io', options.mirror.host);
    for (const host of options.httpRegistries) hostsToml(host, `http://${host}`);
    const socket = path.join(state, 'containerd.sock');
    const containerdConfig = path.join(sub('containerd'), 'config.toml');
    writeFileSync(
      containerdConfig,
      [
        'version = 2',
        `root = "${sub('containerd/root')}"`,
        `state = "${state}/state"`,
        `[grpc]`,
        `  address = "${socket}"`,
        `[ttrpc]`,
        `  address = "${socket}.ttrpc"`,
        '[debug]',
        '  level = "warn"',
        '[plugins."io.containerd.internal.v1.opt"]',
        `  path = "${sub('containerd/opt')}"`,
        '[plugins."io.containerd.grpc.v1.cri"]',
        `  sandbox_image = "${PAUSE_IMAGE}"`,
        // Root here lacks CAP_SYS_RESOURCE: runc fails every sandbox unless oom_score_adj is left alone.
        '  restrict_oom_score_adj = true',
        '  [plugins."io.containerd.grpc.v1.cri".containerd]',
        '    snapshotter = "overlayfs"',
        '    default_runtime_name = "runc"',
        '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
        '      runtime_type = "io.containerd.runc.v2"',
        '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
        '        SystemdCgroup = false',
        '  [plugins."io.containerd.grpc.v1.cri".cni]',
        '    bin_dir = "/usr/lib/cni"',
        `    conf_dir = "${cniConf}"`,
        '  [plugins."io.containerd.grpc.v1.cri".registry]',
        `    config_path = "${hosts}"`,
        '',
      ].join('\n'),
    );
    const ctr = (args: string[]) => sh('ctr', ['--address', socket, '--namespace', 'k8s.io', ...args], { timeout: 30_000 });
    await pushPauseImage(dir, options.mirror.host);
    // Runs after containerd's stop has killed the pods' processes: the kubelet's cgroups (cgroupfs driver), deepest first.
    stops.push(() => {
      for (const controller of readdirSync('/sys/fs/cgroup')) {
        const root = path.join('/sys/fs/cgroup', controller, 'kubepods');
        if (!existsSync(root)) continue;
        const dirs = readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => path.join(e.parentPath, e.name))
          .sort((a, b) => b.length - a.length);
        for (const d of [...dirs, root]) {
          try {
            rmdirSync(d);
          } catch {
            // A cgroup that still holds a process: left for the kernel.
          }
        }
      }
      return Promise.resolve();
    });
    const containerd = await startDaemon('containerd', 'containerd', ['--config', containerdConfig], {
      logFile: path.join(dir, 'containerd.log'),
      ready: async () => (await sh('ctr', ['--address', socket, 'version'], { timeout: 5000 })).exitCode === 0,
    });
    stops.push(async () => {
      // The pods' processes belong to shims that outlive containerd: kill them first.
      const tasks = String((await ctr(['tasks', 'ls', '-q'])).stdout).split('\n').filter(Boolean);
      for (const task of tasks) await ctr(['tasks', 'kill', '-s', 'SIGKILL', task]);
      for (const task of tasks) await ctr(['tasks', 'delete', '-f', task]);
      const containers = String((await ctr(['containers', 'ls', '-q'])).stdout).split('\n').filter(Boolean);
      if (containers.length > 0) await ctr(['containers', 'delete', ...containers]);
      await containerd.stop();
      await sh('pkill', ['-KILL', '-f', `containerd-shim-runc-v2 .*-address ${socket}`]);
      for (const ns of existsSync('/var/run/netns') ? readdirSync('/var/run/netns') : []) {
        if (!netnsBefore.has(ns) && ns.startsWith('cni-')) await sh('ip', ['netns', 'delete', ns]);
      }
      await unmountBelow(state);
      await unmountBelow(path.join(dir, 'containerd'));
    });

    // kubelet.
    const kubeletRoot = sub('kubelet');
    const kubeletConfig = path.join(dir, 'kubelet-config.yaml');
    writeFileSync(
      kubeletConfig,
      [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        `address: ${NODE_IP}`,
        `port: ${kubeletPort}`,
        'readOnlyPort: 0',
        'healthzBindAddress: 127.0.0.1',
        `healthzPort: ${kubeletHealthz}`,
        'authentication:',
        '  anonymous: {enabled: false}',
        '  webhook: {enabled: true}',
        `  x509: {clientCAFile: "${certs.file('ca.crt')}"}`,
        'authorization: {mode: Webhook}',
        'cgroupDriver: cgroupfs',
        'failCgroupV1: false',
        'failSwapOn: false',
        `containerRuntimeEndpoint: "unix://${socket}"`,
        `tlsCertFile: "${certs.file('kubelet-serving.crt')}"`,
        `tlsPrivateKeyFile: "${certs.file('kubelet-serving.key')}"`,
        `podLogsDir: "${sub('pod-logs')}"`,
        'clusterDNS: []',
        'clusterDomain: cluster.local',
        'resolvConf: /etc/resolv.conf',
        'serializeImagePulls: false',
        // A full disk must not evict the test pods, nor garbage-collect their images.
        'imageGCHighThresholdPercent: 100',
        'imageGCLowThresholdPercent: 99',
        'evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}',
        'nodeStatusReportFrequency: 10s',
        '',
      ].join('\n'),
    );
    const kubelet = await startDaemon('kubelet', bin('kubelet'), [
      `--config=${kubeletConfig}`,
      `--kubeconfig=${config('kubelet', 'node')}`,
      `--root-dir=${kubeletRoot}`,
      `--node-ip=${NODE_IP}`,
      `--hostname-override=${NODE_NAME}`,
      '--v=1',
    ], {
      logFile: path.join(dir, 'kubelet.log'),
      ms: 120_000,
      ready: async () => String((await kubectl(['get', 'node', NODE_NAME, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'], { timeout: 5000 })).stdout) === 'True',
    });
    stops.push(async () => {
      await kubelet.stop();
      await unmountBelow(kubeletRoot);
    });

    const proxyConfig = path.join(dir, 'kube-proxy-config.yaml');
    writeFileSync(
      proxyConfig,
      [
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
        'kind: KubeProxyConfiguration',
        'mode: iptables',
        'bindAddress: 127.0.0.1',
        `healthzBindAddress: 127.0.0.1:${proxyHealthz}`,
        `metricsBindAddress: 127.0.0.1:${proxyMetrics}`,
        `hostnameOverride: ${NODE_NAME}`,
        `clusterCIDR: ${POD_CIDR}`,
        `nodePortAddresses: ["${NODE_IP}/32"]`,
        'conntrack: {maxPerCore: 0}',
        `clientConnection: {kubeconfig: "${config('proxy', 'proxy')}"}`,
        '',
      ].join('\n'),
    );
    const proxy = await startDaemon('kube-proxy', bin('kube-proxy'), [`--config=${proxyConfig}`], {
      logFile: path.join(dir, 'kube-proxy.log'),
      ready: async () => (await fetch(`http://127.0.0.1:${proxyHealthz}/healthz`, { signal: AbortSignal.timeout(2000) })).ok,
    });
    stops.push(async () => {
      await proxy.stop();
      await sh(bin('kube-proxy'), ['--cleanup', `--config=${proxyConfig}`]);
    });

    // The default ServiceAccount of "default" shows that the controllers run.
    const deadline = Date.now() + 60_000;
    while ((await kubectl(['get', 'serviceaccount', 'default', '-n', 'default'])).exitCode !== 0) {
      if (Date.now() > deadline) throw new Error('the controller-manager made no default ServiceAccount within 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    const startSeconds = (Date.now() - started) / 1000;
    const version = versionOf(t.kubernetes);
    const containerdVersion = /v?\d+\.\d+\.\d+\S*/.exec(String((await sh('containerd', ['--version'])).stdout).split(' ').slice(2).join(' '))?.[0] ?? 'unknown';
    const cluster: Cluster = {
      name: `Kubernetes ${version}`,
      stop,
      version,
      etcdVersion: /etcd Version: (\S+)/.exec(String((await sh(bin('etcd'), ['--version'])).stdout))?.[1] ?? 'unknown',
      containerdVersion,
      kubeconfig: adminConfig,
      kubectl: kubectlBin,
      startSeconds,
      env: (extra = {}) => ({
        KUBECONFIG: adminConfig,
        KUBECTL: kubectlBin,
        PATH: `${path.dirname(kubectlBin)}:${process.env['PATH'] ?? ''}`,
        ...extra,
      }),
      run: kubectl,
      async pidOf(containerID) {
        const id = containerID.replace(/^containerd:\/\//, '');
        const out = String((await ctr(['tasks', 'ls'])).stdout);
        const line = out.split('\n').find((l) => l.startsWith(`${id} `));
        const pid = Number(line?.trim().split(/\s+/)[1]);
        if (!pid) throw new Error(`no task for container ${id}:\n${out}`);
        return pid;
      },
      async restrictedNamespace(name) {
        const result = await kubectl(['create', 'namespace', name]);
        if (result.exitCode !== 0) throw new Error(`kubectl create namespace ${name}: ${String(result.all)}`);
        namespaces.push(name);
        const labels = ['enforce', 'warn', 'audit'].flatMap((mode) => [`pod-security.kubernetes.io/${mode}=restricted`, `pod-security.kubernetes.io/${mode}-version=latest`]);
        const labelled = await kubectl(['label', 'namespace', name, ...labels]);
        if (labelled.exitCode !== 0) throw new Error(`kubectl label namespace ${name}: ${String(labelled.all)}`);
        const deadline = Date.now() + 30_000;
        while ((await kubectl(['get', 'serviceaccount', 'default', '-n', name])).exitCode !== 0) {
          if (Date.now() > deadline) throw new Error(`no default ServiceAccount in ${name}`);
          await new Promise((r) => setTimeout(r, 300));
        }
        return name;
      },
    };
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

let started: Promise<Cluster> | undefined;
let running: Cluster | undefined;

/** The run's cluster, started on first use (with the engines' registries) and stopped when the run ends. */
export function cluster(registries: () => Promise<{ mirror: Registry; secure: Registry }>): Promise<Cluster> {
  refuseInFastSuites('the test cluster');
  started ??= registries().then(async ({ mirror, secure }) => {
    running = await startCluster({ dir: mkdtempSync(path.join(tmpdir(), 'dockergo-k8s-')), mirror, httpRegistries: [mirror.host, secure.host] });
    return running;
  });
  return started;
}

export async function stopCluster(): Promise<void> {
  if (!running) return;
  const dir = path.dirname(running.kubeconfig);
  await running.stop();
  running = undefined;
  rmSync(path.dirname(dir), { recursive: true, force: true });
}
