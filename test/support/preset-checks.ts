// A preset's Kubernetes settings, as the Kustomize and the Helm suites both check them: the same
// preset, and the same expectations of the Deployment either tool renders from it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { read, tempDir } from './project.js';

/** A preset folder with a registry, a namespace, resources and labels (one a label cannot hold), and `extra` overlay templates by path. */
export function kubernetesPreset(extra: Record<string, string>): string {
  const preset = tempDir('dockergo-preset-');
  writeFileSync(
    path.join(preset, 'preset.json'),
    JSON.stringify({
      labels: { 'com.acme.team': 'platform', 'org.opencontainers.image.vendor': 'Acme "Corp"' },
      kubernetes: { registry: 'registry.acme.internal/apps', namespace: 'acme-apps', resources: { cpu: '100m', memoryLimit: '512Mi' } },
    }),
  );
  for (const [file, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(preset, 'templates', file)), { recursive: true });
    writeFileSync(path.join(preset, 'templates', file), text);
  }
  return preset;
}

/** What that preset must do to a project's build.sh and its rendered Deployment (image tag v1.2.3). */
export function assertPresetApplied(dir: string, rendered: object): void {
  const deployment = rendered as { metadata: Record<string, any>; spec: Record<string, any> };
  assert.match(read(dir, 'build.sh'), /^REGISTRY=\$\{REGISTRY:-registry\.acme\.internal\/apps\}$/m);
  assert.equal(deployment.metadata['namespace'], 'acme-apps');
  const container = deployment.spec['template'].spec.containers[0];
  assert.equal(container.image, 'registry.acme.internal/apps/orders:v1.2.3');
  assert.deepEqual(container.resources, {
    requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
    limits: { memory: '512Mi', 'ephemeral-storage': '1Gi' },
  });
  assert.equal(deployment.metadata['labels']?.['com.acme.team'], 'platform');
  assert.equal(deployment.spec['template'].metadata.labels['com.acme.team'], 'platform');
  assert.equal(deployment.metadata['annotations']?.['org.opencontainers.image.vendor'], 'Acme "Corp"');
}
