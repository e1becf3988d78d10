// The program dockergo:docker containerises: its main package (--main, the stored one, the only one,
// or asked), its config files (the module's own, inside it, no link on the way), and what the
// generator could not learn about it, said rather than assumed.
import { UsageError } from '../errors.js';
import { contained } from '../write/contain.js';
import type { MainDeps } from './inspect.js';
import type { MainPackage, ModuleInfo } from './scan.js';

/** What the notes need of the template data. */
export interface ProgramView {
  isService: boolean;
  healthcheck: boolean;
  args: readonly string[];
  port: number;
}

/** The main package: --main (or the stored one), the only one, or asked when there are several. */
export async function pickMain(
  ask: (question: string, choices: string[]) => Promise<string>,
  root: string,
  module: ModuleInfo,
  given: { value: unknown; where: string },
  interactive: boolean,
): Promise<MainPackage> {
  const found = module.candidates.map((m) => m.pkg).join(', ');
  if (typeof given.value === 'string' && given.value !== '') {
    const pkg = `./${given.value.replace(/^\.\//, '').replace(/\/+$/, '')}`.replace(/^\.\/\.?$/, '.');
    // A folder of the module's own, no link on the way: go list does not follow one, and neither do we.
    if (pkg !== '.') contained(root, pkg.slice(2), `${given.where} ${given.value}`, { within: 'the module', expect: 'folder' });
    const main = module.mains.find((m) => m.pkg === pkg);
    if (!main) throw new UsageError(`${given.where}: ${JSON.stringify(given.value)} is not a main package of this module (found: ${found || 'none'})`);
    return main;
  }
  if (module.candidates.length === 0) {
    const others = module.mains.map((m) => m.pkg).join(', ');
    throw new UsageError(`no main package at the module root or in cmd/*: nothing to put in an image${others ? ` (pick one of ${others} with --main)` : ''}`);
  }
  if (module.candidates.length === 1) return module.candidates[0]!;
  if (!interactive) {
    throw new UsageError(`several main packages (${found}): pick one with --main, e.g. --main ${module.candidates[0]!.pkg}`);
  }
  const main = await ask('Which main package goes into the image?', module.candidates.map((m) => m.pkg));
  return module.mains.find((m) => m.pkg === main)!;
}

/**
 * Config files are the module's own: each must exist, as a regular file inside the module with no
 * link on the way, for the image's COPY and the ConfigMap (a link would carry a file from anywhere).
 */
export function checkConfigFilesExist(config: readonly string[], root: string): void {
  for (const file of config) {
    if (contained(root, file, `--config ${file}`, { within: 'the module' }).kind === 'none') {
      throw new UsageError(`--config ${file}: no such file in the module: the image copies it, so create it first (dockergo:docker writes no config files)`);
    }
  }
}

/** What the generator could not learn about the program, so that the files do not assume it. */
export function programNotes(main: MainPackage, deps: MainDeps, data: ProgramView): string[] {
  const notes: string[] = [];
  const found = deps.versionCandidates;
  if (found.length !== 1) {
    const why =
      found.length === 0
        ? 'has no package-level string variable named version, in its main package or a version package of this module'
        : `has several version variables (${found.join(', ')})`;
    notes.push(`no version stamp: ${main.pkg} ${why}, so the build sets none (-X); the image's version is in its labels`);
  }
  if (deps.incomplete) notes.push(`cgo check incomplete: a dependency could not be read (${deps.incomplete})`);
  if (!data.isService) return notes;
  if (!data.healthcheck) {
    notes.push(`no HEALTHCHECK: ${main.pkg} has no -healthcheck flag for the image to run, and whether it serves /healthz is unknown: give probes a path it serves`);
  }
  if (!deps.readsPort && data.args.length === 0) {
    notes.push(`ENV PORT=${data.port} is set, but ${main.pkg} never reads PORT (nor does a package of the module it imports): if it does not listen on :${data.port} by default, give its listen flag with --args`);
  }
  return notes;
}
