// The Kubernetes workload every deploy target renders: the objects' name, resources, probes, drain,
// config keys and labels (TemplateData.kubernetes), and the preset section that sets their defaults
// (preset.json "kubernetes": registry, namespace, resources). Kustomize's manifests and Helm's chart
// render from this same data, so the two cannot drift apart.
import { invalidLine, UsageError, type Checked } from '../errors.js';
import {
  checkNamespace,
  checkQuantity,
  checkRepository,
  isKubernetesLabel,
  kubernetesName,
  NAMESPACE_RULE,
  QUANTITY_RULE,
  quantityValue,
  REPOSITORY_RULE,
} from '../rules/index.js';
import type { TargetFacts } from './facts.js';

/** What a preset may set for the Kubernetes manifests. */
export interface KubernetesPreset {
  /** Where images are pushed and pulled from: build.sh's REGISTRY default, e.g. "registry.example.com/team". */
  registry?: string;
  /** The namespace the manifests go into. */
  namespace?: string;
  resources?: Partial<KubernetesResources>;
}

export interface KubernetesResources {
  cpu: string;
  memory: string;
  memoryLimit: string;
  ephemeralStorage: string;
  ephemeralStorageLimit: string;
}

/** Resource defaults: a CPU request but no CPU limit (a limit throttles a Go program's bursts), a memory request and limit. */
export const DEFAULT_RESOURCES: KubernetesResources = {
  cpu: '50m',
  memory: '64Mi',
  memoryLimit: '256Mi',
  ephemeralStorage: '64Mi',
  ephemeralStorageLimit: '1Gi',
};

export interface KubernetesData {
  /** The objects' name and the app.kubernetes.io/name label: the app name as a DNS-1035 label ("client_golang" is "client-golang"). */
  name: string;
  /** build.sh's REGISTRY default ("" when the preset sets none). */
  registry: string;
  /** The manifests' namespace ("" leaves it to kubectl's context or build.sh's NAMESPACE). */
  namespace: string;
  resources: KubernetesResources;
  /** preStop sleep: the endpoint removal reaches kube-proxy and load balancers while the pod still serves. */
  drainSeconds: number;
  /** How long the program's shutdown may take after SIGTERM (the generated service's Shutdown timeout). */
  shutdownSeconds: number;
  /** Covers drain + shutdown + a margin: the kubelet's SIGKILL clock includes the preStop. */
  terminationGracePeriodSeconds: number;
  /** HTTP probes at /readyz and /healthz (a program of ours); TCP probes on the port for an existing one. */
  httpProbes: boolean;
  /** The ConfigMap kustomize generates from the config files. */
  configMap: string;
  /** Each config file: its ConfigMap key, its path below configDir, and its path from the base folder. */
  configKeys: { key: string; path: string; fromBase: string }[];
  /** Preset labels that are valid Kubernetes labels (the others become annotations). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Extra manifests from a preset's templates/deploy/ overlay, per kustomization folder. */
  extra: { base: string[]; dev: string[]; prod: string[] };
  /**
   * A new cli's Job runs its default arguments (input.txt output.txt) in an empty folder: the dev
   * overlay ships a sample input, mounted as input.txt, so that the first deploy succeeds.
   */
  sampleInput: boolean;
}

const BUILTIN_MANIFESTS = new Set([
  'kustomization.yaml', 'deployment.yaml', 'job.yaml', 'service.yaml', 'serviceaccount.yaml', 'pdb.yaml', 'networkpolicy.yaml', 'hpa.yaml',
]);

export function kubernetesData(facts: TargetFacts): KubernetesData {
  const { answers } = facts;
  const preset = facts.cluster;
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(facts.labels)) (isKubernetesLabel(key, value) ? labels : annotations)[key] = value;
  const keys = new Set<string>();
  const configKeys = facts.configPaths.map((file) => {
    // A ConfigMap key is [-._a-zA-Z0-9]+: the path with "/" as "_", made unique.
    const stem = file.replaceAll('/', '_').replace(/[^-._a-zA-Z0-9]/g, '-');
    let key = stem;
    for (let i = 2; keys.has(key); i++) key = `${stem}-${i}`;
    keys.add(key);
    return { key, path: file, fromBase: `../../../${file}` };
  });
  const extra: KubernetesData['extra'] = { base: [], dev: [], prod: [] };
  for (const overlay of facts.overlays) {
    const m = /^deploy\/kubernetes\/(base|overlays\/(dev|prod))\/([^/]+\.ya?ml)(?:\.ejs)?$/.exec(overlay);
    if (m && !BUILTIN_MANIFESTS.has(m[3]!)) extra[(m[2] ?? 'base') as keyof typeof extra].push(m[3]!);
  }
  const drainSeconds = 5;
  const shutdownSeconds = 10;
  const name = kubernetesName(answers.name);
  const defaultCliArguments = answers.kind === 'cli' && !facts.existing && facts.args.length === 0;
  return {
    name,
    registry: preset.registry ?? '',
    namespace: preset.namespace ?? '',
    resources: { ...DEFAULT_RESOURCES, ...preset.resources },
    drainSeconds,
    shutdownSeconds,
    terminationGracePeriodSeconds: drainSeconds + shutdownSeconds + 5,
    httpProbes: !facts.existing,
    configMap: `${name}-config`,
    configKeys,
    labels,
    annotations,
    extra,
    sampleInput: defaultCliArguments,
  };
}

const RESOURCE_HELP: Record<keyof KubernetesResources, string> = {
  cpu: 'CPU request',
  memory: 'memory request',
  memoryLimit: 'memory limit',
  ephemeralStorage: 'ephemeral-storage request',
  ephemeralStorageLimit: 'ephemeral-storage limit',
};

/** preset.json's "kubernetes" section, as the published schema describes it. */
export function kubernetesPresetSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'Defaults for the Kubernetes manifests (--deploy kubernetes).',
    additionalProperties: false,
    properties: {
      registry: { type: 'string', description: `Where images are pushed and the cluster pulls them from (build.sh's REGISTRY default): ${REPOSITORY_RULE}.` },
      namespace: { type: 'string', description: `The namespace the manifests go into: ${NAMESPACE_RULE}.` },
      resources: {
        type: 'object',
        description: `The container's resources, each ${QUANTITY_RULE}. There is no CPU limit: it throttles.`,
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.entries(DEFAULT_RESOURCES).map(([key, value]) => [key, { type: 'string', description: `${RESOURCE_HELP[key as keyof KubernetesResources]} (default ${value})` }]),
        ),
      },
    },
  };
}

/** The preset's kubernetes section, each value against its rule. */
export function checkKubernetesPreset(
  raw: { registry?: string; namespace?: string; resources?: Record<string, string> } | undefined,
  where: string,
): KubernetesPreset {
  const out: KubernetesPreset = {};
  const take = (field: string, value: string, check: (v: string) => Checked<string>): string => {
    const checked = check(value);
    if (!checked.ok) throw new UsageError(invalidLine(`${where}: kubernetes.${field}`, value, checked));
    return checked.value;
  };
  if (raw?.registry !== undefined) out.registry = take('registry', raw.registry, checkRepository);
  if (raw?.namespace !== undefined) out.namespace = take('namespace', raw.namespace, checkNamespace);
  if (raw?.resources) {
    const resources: Partial<KubernetesResources> = {};
    for (const [key, value] of Object.entries(raw.resources)) resources[key as keyof KubernetesResources] = take(`resources.${key}`, value, checkQuantity);
    out.resources = resources;
    // A request over its limit (the preset's, or the default) is a Deployment the API server refuses.
    const merged = { ...DEFAULT_RESOURCES, ...resources };
    for (const [request, limit] of [['memory', 'memoryLimit'], ['ephemeralStorage', 'ephemeralStorageLimit']] as const) {
      if (quantityValue(merged[request]) > quantityValue(merged[limit])) {
        const given = (key: keyof KubernetesResources) => `kubernetes.resources.${key} ${JSON.stringify(merged[key])}${resources[key] === undefined ? ' (the default)' : ''}`;
        throw new UsageError(`${where}: ${given(request)} is more than ${given(limit)}: a request may not exceed its limit (Kubernetes refuses the Deployment)`);
      }
    }
  }
  return out;
}
