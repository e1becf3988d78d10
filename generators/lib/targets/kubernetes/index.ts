// Kustomize (--deploy kubernetes): a base of the generator's (re-rendered and merged by `update`)
// and dev/prod overlays of the user's (written once, never rewritten). Its templates are
// templates/deploy/kubernetes/; build.sh renders an overlay with the image pinned by digest and
// applies it (`./build.sh deploy`, `./build.sh manifests`).
import { UsageError } from '../../errors.js';
import type { DeployTarget, PlannedFile, TargetView } from '../facts.js';

const DIR = 'deploy/kubernetes';

function files(view: TargetView): PlannedFile[] {
  const base = (file: string): PlannedFile => ({ template: `${DIR}/base/${file}.ejs`, destination: `${DIR}/base/${file}` });
  const overlay = (name: 'dev' | 'prod', file: string): PlannedFile => ({
    template: `${DIR}/overlays/${name}/${file}.ejs`,
    destination: `${DIR}/overlays/${name}/${file}`,
    keepExisting: true,
    source: '--deploy',
  });
  return [
    base('kustomization.yaml'),
    base(view.isService ? 'deployment.yaml' : 'job.yaml'),
    base('serviceaccount.yaml'),
    ...(view.isService ? [base('service.yaml'), base('pdb.yaml')] : []),
    base('networkpolicy.yaml'),
    overlay('dev', 'kustomization.yaml'),
    overlay('prod', 'kustomization.yaml'),
    ...(view.isService ? [overlay('prod', 'hpa.yaml')] : []),
    ...(view.kubernetes.sampleInput ? [overlay('dev', 'sample-input.txt')] : []),
  ];
}

/**
 * The overlays are the user's, written once for the kind the project had: prod's HPA scales the
 * service's Deployment, and a cli has none. Neither a re-run nor `update` rewrites them, so neither
 * changes the kind under them: the line says how.
 */
function refuseChange({ storedKind, kind, exists }: { storedKind: unknown; kind: string; exists: (destination: string) => boolean }): void {
  if (!exists(`${DIR}/overlays`) || typeof storedKind !== 'string' || storedKind === kind) return;
  const why = storedKind === 'service'
    ? "prod's HPA scales a Deployment, which a cli does not have"
    : "prod has no HPA, and no patch that leaves the replica count to one";
  throw new UsageError(
    `--kind ${kind}: ${DIR}/overlays/ (yours, which the generator never rewrites) is written for a ${storedKind} (${why}): ` +
      `move it aside (git mv ${DIR}/overlays ${DIR}/overlays.${storedKind}), run again so that new overlays are written, then carry your edits over`,
  );
}

export const kustomize: DeployTarget = {
  name: 'kubernetes',
  dir: DIR,
  commands: ['deploy', 'manifests'],
  files,
  ownedByUser: (destination) => destination.startsWith(`${DIR}/overlays/`),
  refuseChange,
  // The preset's registry is build.sh's default; without one, REGISTRY is needed.
  hint: ({ kubernetes }) =>
    kubernetes.registry
      ? `./build.sh deploy dev   # push to ${kubernetes.registry}, then deploy to Kubernetes`
      : 'REGISTRY=registry.example.com/team ./build.sh deploy dev   # push, then deploy to Kubernetes',
};
