// Which template becomes which file. Paths are relative to templates/ and to the
// destination; a preset overlay replaces a template by putting a file at the same path.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PlannedPath } from './write/plan.js';
import type { TemplateData } from './template-data.js';

export interface PlannedFile extends PlannedPath {
  template: string;
  executable?: boolean;
  /** Data for this file alone, beside the shared template data. */
  extra?: Record<string, unknown>;
}

export function projectFiles(data: TemplateData): PlannedFile[] {
  const main = data.mainDir === '' ? '' : `${data.mainDir}/`;
  return [
    { template: 'go.mod.ejs', destination: 'go.mod' },
    { template: `go/${data.kind}/main.go.ejs`, destination: `${main}main.go` },
    { template: `go/${data.kind}/main_test.go.ejs`, destination: `${main}main_test.go` },
    ...containerFiles(data),
    { template: 'Makefile.ejs', destination: 'Makefile' },
    { template: 'README.md.ejs', destination: 'README.md' },
    // npm drops files named .gitignore from a packed tarball, hence the template's name.
    { template: 'gitignore.ejs', destination: '.gitignore' },
    ...data.configFiles.map((f) => ({
      template: 'config.stub.ejs',
      destination: f.path,
      keepExisting: true,
      source: '--config',
      extra: { configFile: f },
    })),
  ];
}

/** The container files alone (also what `dockergo:docker` adds to an existing module). */
export function containerFiles(data: TemplateData): PlannedFile[] {
  return [
    { template: 'Dockerfile.ejs', destination: 'Dockerfile' },
    { template: 'dockerignore.ejs', destination: '.dockerignore' },
    { template: 'build.sh.ejs', destination: 'build.sh', executable: true },
    ...(data.caCerts ? [{ template: 'company-ca.pem.ejs', destination: data.caCerts }] : []),
    ...(data.compose ? [{ template: 'compose.yaml.ejs', destination: 'compose.yaml' }] : []),
    ...(data.ci === 'github' ? [{ template: 'ci/github.yml.ejs', destination: '.github/workflows/ci.yml' }] : []),
    ...(data.deploy === 'kubernetes' ? kubernetesFiles(data) : []),
  ];
}

/** Where the Kustomize base and overlays go. */
export const KUBERNETES_DIR = 'deploy/kubernetes';

/**
 * The Kustomize tree: the base is the generator's (re-rendered and merged by `update`); each
 * overlay is written once and is then the user's (keepExisting: never changed again).
 */
export function kubernetesFiles(data: TemplateData): PlannedFile[] {
  const base = (file: string): PlannedFile => ({ template: `deploy/kubernetes/base/${file}.ejs`, destination: `${KUBERNETES_DIR}/base/${file}` });
  const overlay = (name: 'dev' | 'prod', file: string): PlannedFile => ({
    template: `deploy/kubernetes/overlays/${name}/${file}.ejs`,
    destination: `${KUBERNETES_DIR}/overlays/${name}/${file}`,
    keepExisting: true,
    source: '--deploy',
  });
  return [
    base('kustomization.yaml'),
    base(data.isService ? 'deployment.yaml' : 'job.yaml'),
    base('serviceaccount.yaml'),
    ...(data.isService ? [base('service.yaml'), base('pdb.yaml')] : []),
    base('networkpolicy.yaml'),
    overlay('dev', 'kustomization.yaml'),
    overlay('prod', 'kustomization.yaml'),
    ...(data.isService ? [overlay('prod', 'hpa.yaml')] : []),
    ...(data.kubernetes.sampleInput ? [overlay('dev', 'sample-input.txt')] : []),
  ];
}

/**
 * Applies a preset's templates/ overlay to a plan: a file at a built-in template's path (or
 * at a planned file's destination) replaces it; any other file is added, its destination
 * being its path without ".ejs". Overlay paths are relative to overlayDir.
 */
export function withOverlays(plan: PlannedFile[], overlayDir: string, overlays: readonly string[], builtin: ReadonlySet<string>): PlannedFile[] {
  const out = plan.map((f) => ({ ...f }));
  for (const overlay of overlays) {
    const template = path.join(overlayDir, overlay);
    const destination = overlay.replace(/\.ejs$/, '');
    const replaced = out.filter((f) => f.template === overlay || f.destination === destination);
    for (const f of replaced) f.template = template;
    if (replaced.length === 0 && !builtin.has(overlay)) {
      // A file for an overlay folder is the user's once written, like the overlay itself.
      const owned = destination.startsWith('deploy/kubernetes/overlays/') ? { keepExisting: true } : {};
      out.push({ template, destination, executable: (statSync(template).mode & 0o111) !== 0, ...owned });
    }
  }
  return out;
}

/** Every file below dir, as sorted "/"-separated relative paths; [] when dir does not exist. */
export function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
