// dockergo:docker's steps, as functions the Yeoman class and a headless update (headless.ts) both
// run: the module scanned, the program picked and inspected, what the module settles of the answers,
// then the template data and the files, with the notes on what could not be learnt.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Answers, InputName } from '../inputs/index.js';
import { checkConfigFilesExist, inspectMain, pickMain, programNotes, scanModule, type MainDeps, type MainPackage, type ModuleInfo } from '../module/index.js';
import { packageVersion } from '../package.js';
import { containerFiles, toTemplateData, type PlannedFile, type TemplateData } from '../plan/index.js';
import type { Preset } from '../presets/index.js';
import { programName } from '../rules/index.js';
import type { WriteOptions } from './project.js';
import { presetData, type Resolve, type Sources } from './sources.js';

/** Compose files `docker compose` reads before or instead of compose.yaml's neighbours. */
const OTHER_COMPOSE_FILES = ['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Inputs an existing module settles itself: they are never asked. */
const FROM_MODULE: ReadonlySet<InputName> = new Set(['module', 'layout', 'goVersion']);

export interface DockerScan {
  module: ModuleInfo;
  /** Whether the plan has a Makefile: the module had none, or the one it has is the generator's (recorded). */
  makefile: boolean;
  /** A compose file of the module's own, which compose.yaml would silently take the place of. */
  ownCompose: string | undefined;
}

export interface DockerProgram {
  main: MainPackage;
  deps: MainDeps;
}

/** The module, read; `stored` is this generator's record, which says whether the Makefile is ours. */
export function scanDocker(root: string, stored: Readonly<Record<string, unknown>>): DockerScan {
  const module = scanModule(root);
  const files = stored['files'];
  const recorded = typeof files === 'object' && files !== null && Object.hasOwn(files, 'Makefile');
  return {
    module,
    makefile: !existsSync(path.join(root, 'Makefile')) || (stored['generator'] === 'docker' && recorded),
    ownCompose: OTHER_COMPOSE_FILES.find((f) => existsSync(path.join(root, f))),
  };
}

/**
 * The main package (--main, the stored one, the only one, or asked) and its dependency graph: what
 * the build would fail at, it fails at here, before any question.
 */
export async function pickProgram(
  root: string,
  scan: DockerScan,
  given: { flag: unknown; stored: unknown },
  interactive: boolean,
  ask: (message: string, choices: string[]) => Promise<string>,
  log: (line: string) => void,
): Promise<DockerProgram> {
  const { flag, stored } = given;
  const chosen = typeof flag === 'string' && flag !== '' ? { value: flag, where: '--main' } : { value: stored, where: '.yo-rc.json main' };
  const main = await pickMain(ask, root, scan.module, chosen, interactive);
  const deps = inspectMain(root, scan.module, main, () =>
    log(`Downloading the modules ${main.pkg} imports into the Go module cache, to look for cgo in them (go list -deps) ...`),
  );
  return { main, deps };
}

/** What the module settles of the answers: facts over anything given, and defaults under a preset's. */
export function dockerResolve({ module }: DockerScan, { main, deps }: DockerProgram, sources: Sources): Pick<Resolve, 'ask' | 'facts' | 'defaults'> {
  // What go.mod says is a fact (read again on every run), unless --go-version (or an answers file) overrides it.
  const goVersion = sources.flags.goVersion ?? sources.fileAnswers.goVersion ?? module.goVersion;
  return {
    ask: (key) => !FROM_MODULE.has(key),
    facts: { module: module.module, layout: main.pkg === '.' ? 'flat' : 'cmd', ...(goVersion ? { goVersion } : {}) },
    // A program that never listens is a cli by default: compose.yaml, EXPOSE and probes would wait for a port that never opens.
    defaults: { name: programName(module.module, main.pkg), kind: deps.listens ? 'service' : 'cli' },
  };
}

/** The config files must be the module's own: checked once the answers are settled. */
export function checkDockerAnswers(root: string, answers: Answers): void {
  checkConfigFilesExist(answers.config, root);
}

/** The template data, the files (the container files, and a Makefile when the plan has one), and the notes. */
export function dockerProject(
  answers: Answers,
  preset: Preset | undefined,
  scan: DockerScan,
  { main, deps }: DockerProgram,
  sources: Sources,
): { data: TemplateData; plan: PlannedFile[]; options: WriteOptions; notes: string[] } {
  const { module, ownCompose } = scan;
  const data = toTemplateData(answers, {
    generatorVersion: packageVersion,
    ...presetData(preset),
    existing: {
      mainPackage: main.pkg,
      dockerignore: module.dockerignore,
      healthcheck: main.healthcheck,
      configFlag: main.configFlag,
      localReplaces: module.localReplaces,
      vendor: module.vendor,
      ...(deps.versionSymbol ? { versionSymbol: deps.versionSymbol } : {}),
      ...(ownCompose ? { composeFile: ownCompose } : {}),
    },
  });
  const notes = programNotes(main, deps, data);
  if (data.isService && answers.compose && ownCompose) notes.push(`no compose.yaml: the module has ${ownCompose}, which docker compose would stop reading`);
  if (data.configFiles.length > 0 && !main.configFlag) {
    notes.push(`config files are copied to ${data.configDir}/ but not passed: ${main.pkg} has no -config flag`);
  }
  const plan: PlannedFile[] = [...containerFiles(data), ...(scan.makefile ? [{ template: 'Makefile.ejs', destination: 'Makefile' }] : [])];
  const options: WriteOptions = {
    // A preset overlay may add files, but never Go sources or module files.
    keep: (f) => !/(^|\/)(go\.mod|go\.sum|[^/]*\.go)$/.test(f.destination),
    store: { main: main.pkg },
    // go.mod's version is read again on every run: a stored one would go stale (and an old one,
    // say 1.20, would fail the new-project rule, Go 1.22+, on the next run).
    omit: (sources.flags.goVersion ?? sources.fileAnswers.goVersion) === undefined ? ['goVersion'] : [],
  };
  return { data, plan, options, notes };
}
