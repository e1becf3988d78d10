// values.schema.json of the chart: every value's type and range, and no key the chart does not
// know (additionalProperties: false), so that `helm install` and `helm template` refuse a bad value
// with Helm's own message before anything reaches the cluster.
import type { TargetView } from '../facts.js';

const QUANTITY = '^[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$';
const text = (description: string) => ({ type: 'string', description });
const count = (description: string, minimum = 0, maximum?: number) => ({ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }), description });
const flag = (description: string) => ({ type: 'boolean', description });
const object = (properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties), description?: string) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
  ...(description ? { description } : {}),
});
const stringMap = (description: string) => ({ type: 'object', additionalProperties: { type: 'string' }, description });
const quantities = (keys: string[]) => object(Object.fromEntries(keys.map((k) => [k, { type: 'string', pattern: QUANTITY }])), []);

/** The schema, for the chart of this project (a service's values, or a Job's), as JSON text. */
export function valuesSchema(view: TargetView, configKeys: readonly string[]): string {
  const service = view.isService;
  const properties: Record<string, unknown> = {
    image: object({
      repository: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._:/-]+$', description: 'The image repository: REGISTRY/NAME.' },
      digest: { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$', description: 'sha256:…, which pins the image; empty: the tag.' },
      tag: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^$', description: 'The tag, used when digest is empty.' },
      pullPolicy: { enum: ['IfNotPresent', 'Always', 'Never'] },
    }),
    imagePullSecrets: { type: 'array', items: object({ name: { type: 'string', minLength: 1 } }) },
    nameOverride: text('Replaces the chart name in the objects\' names.'),
    fullnameOverride: text('The objects\' name, whatever the release.'),
    resources: object({ requests: quantities(['cpu', 'memory', 'ephemeral-storage']), limits: quantities(['cpu', 'memory', 'ephemeral-storage']) }, []),
    args: { type: 'array', items: { type: 'string' }, description: "The program's arguments." },
    networkPolicy: object({ enabled: flag('The NetworkPolicy: ingress only to the http port.') }),
    labels: stringMap('Labels on every object and pod.'),
    annotations: stringMap('Annotations on every object.'),
  };
  if (service) {
    Object.assign(properties, {
      replicaCount: count('Pods, while autoscaling is off.', 1),
      service: object({ port: count("The Service's port.", 1, 65535) }),
      drainSeconds: count("preStop's sleep before SIGTERM.", 0, 3600),
      terminationGracePeriodSeconds: count('The deadline of SIGKILL, from the start of preStop.', 1, 86400),
      podDisruptionBudget: object({ enabled: flag('The PodDisruptionBudget.'), maxUnavailable: count('Pods a voluntary disruption may take at once.', 1) }),
      autoscaling: object({
        enabled: flag('The HorizontalPodAutoscaler (it then owns the replica count).'),
        minReplicas: count('The fewest pods.', 1),
        maxReplicas: count('The most pods.', 1),
        targetCPUUtilizationPercentage: count('The CPU use, in percent of the request, it scales to.', 1, 1000),
      }),
      ingress: object({
        enabled: flag('An Ingress to the Service.'),
        className: text('The IngressClass ("" for the cluster default).'),
        annotations: stringMap("The Ingress's annotations."),
        host: { type: 'string', pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', description: 'The host it answers for.' },
        path: { type: 'string', pattern: '^/', description: 'The path prefix.' },
        tlsSecretName: text('The TLS secret for host ("" for none).'),
      }),
      httpRoute: object({
        enabled: flag('A Gateway API HTTPRoute to the Service.'),
        annotations: stringMap("The HTTPRoute's annotations."),
        parentRefs: { type: 'array', minItems: 1, items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
        hostnames: { type: 'array', items: { type: 'string' } },
        path: { type: 'string', pattern: '^/', description: 'The path prefix.' },
      }),
    });
  } else {
    properties['job'] = object({ backoffLimit: count('Retries before the Job fails.'), ttlSecondsAfterFinished: count('How long a finished Job stays.') });
    properties['sampleInput'] = text('A text mounted as input.txt in the working folder ("": none).');
  }
  if (configKeys.length > 0) {
    properties['configFiles'] = object(Object.fromEntries(configKeys.map((k) => [k, text('The file\'s content (build.sh passes it with --set-file).')])), configKeys);
  }
  const schema = { $schema: 'https://json-schema.org/draft-07/schema#', title: `The values of the ${view.kubernetes.name} chart`, ...object(properties) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
