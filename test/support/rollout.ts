// What the cluster suite and the benchmark both do with a generated service: deploy it with
// ./build.sh deploy from the registry behind htpasswd, and put steady load on it through its
// ClusterIP during `kubectl rollout restart` or a helm upgrade, with the preStop drain or (the
// control) without.
import assert from 'node:assert/strict';
import { execa } from 'execa';
import type { Engines } from './engines/engines.js';
import type { Cluster } from './engines/kubernetes.js';
import { steadyLoad, type LoadResult } from './load.js';

/** docker login to the registry behind htpasswd, and the same credentials as the image pull secret `regcred` in ns. */
export async function pullSecret(e: Engines, k: Cluster, ns: string): Promise<void> {
  const { user, password } = e.secure.auth!;
  const login = await execa('docker', ['login', '--username', user, '--password-stdin', e.secure.host], { env: e.env(), input: password, reject: false, all: true });
  assert.equal(login.exitCode, 0, String(login.all));
  const secret = await k.run(['create', 'secret', 'docker-registry', 'regcred', '-n', ns, `--docker-server=${e.secure.host}`, `--docker-username=${user}`, `--docker-password=${password}`]);
  assert.equal(secret.exitCode, 0, String(secret.all));
}

/** build.sh's environment for deploy into ns, pushing to `<secure registry>/<path>`. */
export function deployEnv(e: Engines, k: Cluster, ns: string, path: string, extra: Record<string, string> = {}): Record<string, string> {
  return k.env(e.env({ REGISTRY: `${e.secure.host}/${path}`, NAMESPACE: ns, PULL_SECRET: 'regcred', ROLLOUT_TIMEOUT: '3m', ...extra }));
}

/** ./build.sh deploy OVERLAY, which must succeed; its output and how long it took. */
export async function deploy(dir: string, env: Record<string, string>, overlay = 'dev'): Promise<{ output: string; seconds: number }> {
  const started = Date.now();
  const result = await execa('./build.sh', ['deploy', overlay], { cwd: dir, env, all: true, reject: false });
  assert.equal(result.exitCode, 0, String(result.all));
  return { output: String(result.all), seconds: (Date.now() - started) / 1000 };
}

/** The Deployment's pods (not yet deleted ones too). */
export async function podsOf(k: Cluster, ns: string, name: string) {
  const out = await k.run(['get', 'pods', '-n', ns, '-l', `app.kubernetes.io/name=${name}`, '-o', 'json']);
  return (JSON.parse(String(out.stdout)) as {
    items: { metadata: { name: string; deletionTimestamp?: string }; status: { phase: string; podIP?: string; containerStatuses?: { ready: boolean; restartCount: number; containerID: string }[] } }[];
  }).items;
}

/** The Deployment's desired replica count. */
async function replicasOf(k: Cluster, ns: string, name: string): Promise<number> {
  return Number((await k.run(['get', 'deployment', name, '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).stdout);
}

/** Waits (60 s at most) until the Deployment has no pod beyond its count: the last rollout's old pods have left. */
async function oldPodsGone(k: Cluster, ns: string, name: string, replicas: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await podsOf(k, ns, name)).length > replicas && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
}

/**
 * Steady load through the ClusterIP while `work` runs (a restart, a helm upgrade, a rollback), from
 * 2 s before it until it is done and the pods are back to the Deployment's count (the last old pod
 * drains and exits after a rollout reports done).
 */
export async function loadDuring(k: Cluster, ns: string, name: string, work: () => Promise<void>): Promise<LoadResult> {
  const ip = String((await k.run(['get', 'service', name, '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).stdout);
  // The last rollout's old pods must be gone first, and kube-proxy's rules with them: the load
  // measures `work` alone. A pod without the drain (the control's) exits before the rules drop it.
  // So: no pod beyond the Deployment's count, the Service's endpoints exactly the live pods' IPs,
  // then two of kube-proxy's sync periods (1 s each).
  const replicas = await replicasOf(k, ns, name);
  const quiet = Date.now() + 60_000;
  const settledPods = async () => {
    const pods = await podsOf(k, ns, name);
    if (pods.length > replicas) return false;
    const endpoints = String((await k.run(['get', 'endpointslices', '-n', ns, '-l', `kubernetes.io/service-name=${name}`, '-o', 'jsonpath={.items[*].endpoints[*].addresses[*]}'])).stdout);
    return JSON.stringify(endpoints.split(/\s+/).filter(Boolean).sort()) === JSON.stringify(pods.map((p) => p.status.podIP ?? '').sort());
  };
  while (!(await settledPods()) && Date.now() < quiet) await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, 2000));
  // A Service just created is not in kube-proxy's rules at once: load starts once it answers.
  const settled = Date.now() + 60_000;
  while ((await fetch(`http://${ip}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0)) !== 200) {
    assert.ok(Date.now() < settled, `the Service ${ip} never answered`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const done = (async () => {
    await new Promise((r) => setTimeout(r, 2000));
    await work();
    await oldPodsGone(k, ns, name, replicas);
    await new Promise((r) => setTimeout(r, 2000));
  })();
  const result = await steadyLoad(`http://${ip}/readyz`, { workers: 4, intervalMs: 20, until: done, maxSeconds: 240, maxRequests: 60_000 });
  await done;
  return result;
}

/** Steady load through the ClusterIP during `kubectl rollout restart`, until the old pods are gone. */
export async function loadDuringRestart(k: Cluster, ns: string, name: string): Promise<LoadResult> {
  return loadDuring(k, ns, name, async () => {
    const restart = await k.run(['rollout', 'restart', `deployment/${name}`, '-n', ns]);
    assert.equal(restart.exitCode, 0, String(restart.all));
    const status = await k.run(['rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=180s']);
    assert.equal(status.exitCode, 0, String(status.all));
  });
}

/** The control: the same Deployment without its preStop drain, rolled out and settled. */
export async function removeDrain(k: Cluster, ns: string, name: string): Promise<void> {
  const patched = await k.run(['patch', 'deployment', name, '-n', ns, '--type', 'json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/0/lifecycle"}]']);
  assert.equal(patched.exitCode, 0, String(patched.all));
  await k.run(['rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=180s']);
  // Let the drained pods of that rollout finish leaving.
  await oldPodsGone(k, ns, name, await replicasOf(k, ns, name));
}

export const describeLoad = (r: LoadResult): string =>
  `${r.failed} of ${r.sent} requests failed at ${r.rate.toFixed(0)} requests/s over ${r.seconds.toFixed(0)} s (${r.retried} pooled retries on a closed idle connection)`;
