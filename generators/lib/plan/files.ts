// Which template becomes which file. Paths are relative to templates/ and to the project; a
// preset's overlay replaces a template by putting a file at the same path, or adds one.
import { statSync } from 'node:fs';
import path from 'node:path';
import { deployTarget, otherTargetsFile, overlayDestination, ownedByUser } from '../targets/index.js';
import type { PlannedFile } from '../write/plan.js';
import type { TemplateData } from './types.js';

export type { PlannedFile };

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

/** The container files alone (also what `dockergo:docker` adds to an existing module), with the deploy target's. */
export function containerFiles(data: TemplateData): PlannedFile[] {
  return [
    { template: 'Dockerfile.ejs', destination: 'Dockerfile' },
    { template: 'dockerignore.ejs', destination: '.dockerignore' },
    { template: 'build.sh.ejs', destination: 'build.sh', executable: true },
    ...(data.caCerts ? [{ template: 'company-ca.pem.ejs', destination: data.caCerts }] : []),
    ...(data.compose ? [{ template: 'compose.yaml.ejs', destination: 'compose.yaml' }] : []),
    ...(data.ci === 'github' ? [{ template: 'ci/github.yml.ejs', destination: '.github/workflows/ci.yml' }] : []),
    ...(deployTarget(data.deploy)?.files(data as TemplateData & Record<string, unknown>) ?? []),
  ];
}

export interface Overlay {
  /** The preset's templates/ folder. */
  dir: string;
  /** Its templates, relative to dir. */
  files: readonly string[];
  /** Our own templates (relative to templates/): a file at one of these paths that no planned file uses adds nothing. */
  builtin: ReadonlySet<string>;
}

/**
 * The run's files: the generator's plan with a preset's overlay applied (a file at a built-in
 * template's path, or at a planned file's destination, replaces it; any other file is added, its
 * destination being its path without ".ejs"), a deploy target's extra files only with that target,
 * and only the files `keep` allows.
 */
export function planFiles(plan: readonly PlannedFile[], data: TemplateData, overlay: Overlay | undefined, keep: (file: PlannedFile) => boolean): PlannedFile[] {
  return (overlay ? withOverlays(plan, overlay, data) : [...plan]).filter((f) => !otherTargetsFile(f.destination, data.deploy)).filter(keep);
}

function withOverlays(plan: readonly PlannedFile[], { dir, files, builtin }: Overlay, data: TemplateData): PlannedFile[] {
  const out = plan.map((f) => ({ ...f }));
  for (const overlay of files) {
    const template = path.join(dir, overlay);
    const destination = overlayDestination(overlay, data);
    const replaced = out.filter((f) => f.template === overlay || f.destination === destination);
    for (const f of replaced) f.template = template;
    if (replaced.length === 0 && !builtin.has(overlay)) {
      // A file for a folder of the user's (an overlay) is the user's once written, like the folder.
      const owned = ownedByUser(destination) ? { keepExisting: true } : {};
      out.push({ template, destination, executable: (statSync(template).mode & 0o111) !== 0, ...owned });
    }
  }
  return out;
}
