// One run's files, from the plan to the disk: the plan with the preset's overlay, checked as a whole
// (paths, clashes, the disk) before the folder is created or a file is rendered; the deploy target's
// refusals; the bytes, rendered once; then a fresh run's write into Yeoman's in-memory file system
// (fresh.ts), or `update`'s merge, or `update --check`'s verdict, which writes nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Generator from 'yeoman-generator';
import type { Answers } from '../inputs/index.js';
import { packageVersion, templatesRoot } from '../package.js';
import { planFiles, renderPlan, type PlannedFile, type RenderedFile, type TemplateData } from '../plan/index.js';
import type { Preset } from '../presets/index.js';
import { deployTarget } from '../targets/index.js';
import { BEHIND_EXIT, checkLines, checkUpdate, projectRecord, runUpdate, versionsOf, type CheckResult, type FileUpdate, type GeneratorName, type Versions } from '../update/index.js';
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
  answers: Answers;
  preset: Preset | undefined;
  root: string;
  /** This generator's section of .yo-rc.json. */
  stored: Readonly<Record<string, unknown>>;
  generatorName: GeneratorName;
  dryRun: boolean;
  log: (line: string) => void;
}

/** A run's files, planned, checked and rendered, with what `update` and the record need. */
export interface PreparedProject {
  files: PlannedFile[];
  rendered: RenderedFile[];
  record: (written: ReadonlyMap<string, Buffer>) => Record<string, unknown>;
  /** Whether this generator could have written a file (the record may name no other). */
  writes: (destination: string) => boolean;
  versions: Versions;
}

export function prepareProject(
  run: ProjectRun,
  plan: readonly PlannedFile[],
  data: TemplateData,
  { keep = () => true, store = {}, omit = [] }: WriteOptions,
): PreparedProject {
  const { root, preset, stored } = run;
  const overlay = preset ? { dir: path.join(preset.dir, 'templates'), files: preset.overlays, builtin: new Set(filesBelow(templatesRoot)) } : undefined;
  const files = planFiles(plan, data, overlay, keep);
  checkPlan(root, [...files, { destination: '.yo-rc.json' }]);
  const exists = (destination: string) => existsSync(path.join(root, destination));
  deployTarget(data.deploy)?.refuseChange?.({ storedKind: stored['kind'], kind: data.kind, exists });
  const rendered = renderPlan(files, data, templatesRoot, { named: preset?.dir ?? templatesRoot, exists });
  const inputs = { answers: run.answers, stored, extra: store, omit, preset, root, generator: run.generatorName, version: packageVersion };
  return {
    files,
    rendered,
    record: (written) => projectRecord(inputs, written),
    // The record may name only files this generator writes: the same filter as the plan's.
    writes: (destination) => keep({ template: '', destination }),
    versions: versionsOf(stored, packageVersion, preset),
  };
}

/** `update`: merges the prepared files into the project (or prints the diffs on --dry-run). */
export function updateProject(run: ProjectRun, p: PreparedProject, key: string): FileUpdate[] {
  const { root, stored, dryRun, log } = run;
  return runUpdate({ root, rendered: p.rendered, stored, writes: p.writes, record: p.record, key, versions: p.versions, dryRun, log });
}

/** `update --check`: the verdict, as lines (or one JSON object on stdout), and exit status 2 when behind. */
export function checkProject(run: ProjectRun, p: PreparedProject, json: boolean): CheckResult {
  const result = checkUpdate({ root: run.root, rendered: p.rendered, stored: run.stored, writes: p.writes, versions: p.versions });
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const line of checkLines(result)) run.log(line);
  if (result.status === 'behind') process.exitCode = BEHIND_EXIT;
  return result;
}

/** A fresh run: queues the files and the record; returns what was written and what its commit removes. */
export function freshProject(
  run: ProjectRun & { generator: Generator; clashesAllowed: boolean; notice: (text: string) => void },
  p: PreparedProject,
): { written: Map<string, Buffer>; removals: string[] } {
  const { root, stored } = run;
  const planned = new Set(p.files.map((f) => f.destination));
  const removals = stored['generator'] === run.generatorName ? ungenerated(root, stored, planned, p.writes, run.notice) : [];
  return { written: writeFresh({ generator: run.generator, root, rendered: p.rendered, clashesAllowed: run.clashesAllowed, record: p.record }), removals };
}
