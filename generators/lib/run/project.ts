// One run's files, from the plan to the disk: the plan with the preset's overlay, checked as a whole
// (paths, clashes, the disk) before the folder is created or a file is rendered; the deploy target's
// refusals; the bytes, rendered once; then `update`'s merge, or a fresh run's write into Yeoman's
// in-memory file system (fresh.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Generator from 'yeoman-generator';
import type { Answers } from '../inputs/index.js';
import { packageVersion, templatesRoot } from '../package.js';
import { planFiles, renderPlan, type PlannedFile, type TemplateData } from '../plan/index.js';
import type { Preset } from '../presets/index.js';
import { deployTarget } from '../targets/index.js';
import { projectRecord, runUpdate, versionsOf, type GeneratorName } from '../update/index.js';
import { filesBelow } from '../write/contain.js';
import { checkPlan } from '../write/plan.js';
import { ungenerated, writeFresh } from './fresh.js';

export interface WriteOptions {
  /** Which planned files this generator writes (dockergo:docker: never Go sources or module files). */
  keep?: (file: PlannedFile) => boolean;
  /** Keys of the generator's own for the record, and keys left out of it. */
  store?: Record<string, unknown>;
  omit?: readonly string[];
}

/** What the run knows when it writes. */
export interface ProjectRun {
  generator: Generator;
  answers: Answers;
  preset: Preset | undefined;
  root: string;
  /** This generator's section of .yo-rc.json. */
  stored: Readonly<Record<string, unknown>>;
  generatorName: GeneratorName;
  dryRun: boolean;
  updating: boolean;
  /** Whether a file that exists with other content may be overwritten (asked, --force, or a dry run). */
  clashesAllowed: boolean;
  notice: (text: string) => void;
}

/** Writes the plan; a fresh run returns what it queued and what its commit removes (undefined for `update`). */
export function writeProject(
  run: ProjectRun,
  plan: readonly PlannedFile[],
  data: TemplateData,
  { keep = () => true, store = {}, omit = [] }: WriteOptions,
): { written: Map<string, Buffer>; removals: string[] } | undefined {
  const { root, preset, stored } = run;
  const overlay = preset ? { dir: path.join(preset.dir, 'templates'), files: preset.overlays, builtin: new Set(filesBelow(templatesRoot)) } : undefined;
  const files = planFiles(plan, data, overlay, keep);
  checkPlan(root, [...files, { destination: '.yo-rc.json' }]);
  const exists = (destination: string) => existsSync(path.join(root, destination));
  deployTarget(data.deploy)?.refuseChange?.({ storedKind: stored['kind'], kind: data.kind, exists });
  const rendered = renderPlan(files, data, templatesRoot, { named: preset?.dir ?? templatesRoot, exists });
  const inputs = { answers: run.answers, stored, extra: store, omit, preset, root, generator: run.generatorName, version: packageVersion };
  const record = (written: ReadonlyMap<string, Buffer>) => projectRecord(inputs, written);
  // The record may name only files this generator writes: the same filter as the plan's.
  const writes = (destination: string) => keep({ template: '', destination });
  if (run.updating) {
    const versions = versionsOf(stored, packageVersion, preset);
    const log = (line: string) => run.generator.log(line);
    runUpdate({ root, rendered, stored, writes, record, key: run.generator.rootGeneratorName(), versions, dryRun: run.dryRun, log });
    return undefined;
  }
  const planned = new Set(files.map((f) => f.destination));
  const removals = stored['generator'] === run.generatorName ? ungenerated(root, stored, planned, writes, run.notice) : [];
  return { written: writeFresh({ generator: run.generator, root, rendered, clashesAllowed: run.clashesAllowed, record }), removals };
}
