// Helm (--deploy helm): a chart at deploy/helm/<name>/, rendered from the same workload data as
// Kustomize's manifests (../workload.ts, and the shared templates/deploy/workload/ parts). Its
// templates/ are the generator's; values.yaml is the user's to edit, and `update` merges a new value
// into it with a three-way merge. `./build.sh deploy` installs it with `helm upgrade --install
// --wait`, the image pinned by digest, and rolls a failed release back after printing its pods'
// events and logs; `./build.sh manifests` prints `helm template`.
import type { DeployTarget, PlannedFile, TargetFacts, TargetView } from '../facts.js';
import type { KubernetesData } from '../workload.js';
import { valuesSchema } from './schema.js';

const DIR = 'deploy/helm';

export interface HelmData {
  /** The chart's folder in the project: deploy/helm/<name>. */
  chart: string;
  /** Chart.yaml's appVersion and the default image tag. */
  appVersion: string;
  /** The config files: each a key of values.configFiles, and its path in the project. */
  configFiles: { key: string; project: string }[];
  /** values.schema.json's text. */
  schema: string;
}

function data(facts: TargetFacts, workload: KubernetesData): HelmData {
  const view = { isService: facts.answers.kind === 'service', kind: facts.answers.kind, kubernetes: workload };
  const configFiles = workload.configKeys.map((c) => ({ key: c.key, project: c.path }));
  return {
    chart: `${DIR}/${workload.name}`,
    appVersion: '0.1.0',
    configFiles,
    schema: valuesSchema(view, configFiles.map((c) => c.key)),
  };
}

function files(view: TargetView): PlannedFile[] {
  const chart = `${DIR}/${view.kubernetes.name}`;
  const file = (name: string): PlannedFile => ({ template: `${DIR}/chart/${name}.ejs`, destination: `${chart}/${name}` });
  // An environment's values: the user's, written once.
  const values = (env: 'dev' | 'prod'): PlannedFile => ({ ...file(`values-${env}.yaml`), keepExisting: true, source: '--deploy' });
  return [
    file('Chart.yaml'),
    file('values.yaml'),
    file('values.schema.json'),
    // npm pack leaves dot-files out of a package: the template is helmignore.ejs.
    { template: `${DIR}/chart/helmignore.ejs`, destination: `${chart}/.helmignore` },
    file('templates/_helpers.tpl'),
    file(view.isService ? 'templates/deployment.yaml' : 'templates/job.yaml'),
    file('templates/serviceaccount.yaml'),
    ...(view.isService ? ['service', 'pdb', 'hpa', 'ingress', 'httproute'].map((n) => file(`templates/${n}.yaml`)) : []),
    file('templates/networkpolicy.yaml'),
    ...(view.kubernetes.configKeys.length > 0 ? [file('templates/configmap.yaml')] : []),
    ...(view.isService ? [] : [file('templates/sample.yaml')]),
    file('templates/NOTES.txt'),
    values('dev'),
    values('prod'),
    // helm test runs the program's own -healthcheck against the Service: a program of ours has it.
    ...(view.isService && view.kubernetes.httpProbes ? ['test-healthz', 'networkpolicy'].map((n) => file(`templates/tests/${n}.yaml`)) : []),
  ];
}

export const helm: DeployTarget<HelmData> = {
  name: 'helm',
  dir: DIR,
  commands: ['deploy', 'manifests'],
  data,
  files,
  // values.yaml is not: the generator's, merged by update, so a value a template needs is never missing.
  ownedByUser: (destination) => /^deploy\/helm\/[^/]+\/values-[^/]+\.yaml$/.test(destination),
  // A preset's chart file (templates/deploy/helm/chart/templates/x.yaml.ejs) goes into the chart, whose folder has the app's name.
  overlayDestination: (overlay, { kubernetes }) => overlay.replace(/^deploy\/helm\/chart\//, `${DIR}/${kubernetes.name}/`).replace(/\.ejs$/, ''),
  hint: ({ kubernetes }) =>
    kubernetes.registry
      ? `./build.sh deploy dev   # push to ${kubernetes.registry}, then helm upgrade --install`
      : 'REGISTRY=registry.example.com/team ./build.sh deploy dev   # push, then helm upgrade --install',
};
