// `yo dockergo:docker` / `generator-dockergo docker`: adds the container files to an existing
// Go module. It reads go.mod, the module's layout and the main package's dependency graph, and
// writes Dockerfile, .dockerignore, build.sh, compose.yaml (for a service, unless the module has
// a compose file of another name), the CI workflow when asked, a Makefile only when there is
// none, and .yo-rc.json; it never touches .go files, go.mod or go.sum.
import { existsSync } from 'node:fs';
import Generator from 'yeoman-generator';
import { equivalentCommand } from '../lib/answers.js';
import { UsageError } from '../lib/errors.js';
import { contained } from '../lib/write/contain.js';
import { DockergoGenerator } from '../lib/base.js';
import { containerFiles, type PlannedFile } from '../lib/files.js';
import { declareOptions, deployHint, packageVersion } from '../lib/generator-support.js';
import { programName, shellQuote } from '../lib/validate.js';
import { inspectMain, scanModule, type MainDeps, type MainPackage, type ModuleInfo } from '../lib/module-scan.js';
import type { InputName } from '../lib/inputs.js';
import { toTemplateData, type TemplateData } from '../lib/template-data.js';

/** Compose files `docker compose` reads before or instead of compose.yaml's neighbours. */
const OTHER_COMPOSE_FILES = ['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Inputs an existing module settles itself: they are never asked. */
const FROM_MODULE = new Set(['module', 'layout', 'goVersion']);

export default class DockerGenerator extends DockergoGenerator {
  protected readonly generatorName = 'docker' as const;
  private module!: ModuleInfo;
  private main!: MainPackage;
  private deps!: MainDeps;
  private data!: TemplateData;
  private hadMakefile = false;
  /** A compose file of the module's own, which compose.yaml would silently take the place of. */
  private ownCompose: string | undefined;

  constructor(args: string[], options: Generator['options']) {
    super(args, options);
    declareOptions(this, 'docker');
  }

  async initializing(): Promise<void> {
    await this.step(async () => {
      this.module = scanModule(this.root);
      await this.loadSources();
    });
    this.hadMakefile = existsSync(this.target('Makefile'));
    this.ownCompose = OTHER_COMPOSE_FILES.find((f) => existsSync(this.target(f)));
  }

  async prompting(): Promise<void> {
    await this.step(async () => {
      const flag = this.optionValue('main');
      const stored = this.stored()['main'];
      const given = typeof flag === 'string' && flag !== '' ? { value: flag, where: '--main' } : { value: stored, where: '.yo-rc.json main' };
      this.main = await pickMain(this, this.root, this.module, given, this.interactive);
      // Refusals come before any question: what the build would fail at, it fails at here.
      this.deps = inspectMain(this.root, this.module, this.main, () =>
        this.log(`Downloading the modules ${this.main.pkg} imports into the Go module cache, to look for cgo in them (go list -deps) ...`),
      );
      // What go.mod says is a fact (read again on every run), unless --go-version (or an answers file) overrides it.
      const goVersion = this.flags.goVersion ?? this.fileAnswers.goVersion ?? this.module.goVersion;
      await this.resolveAnswers({
        ask: (key) => !FROM_MODULE.has(key),
        facts: { module: this.module.module, layout: this.main.pkg === '.' ? 'flat' : 'cmd', ...(goVersion ? { goVersion } : {}) },
        // A program that never listens is a cli by default: compose.yaml, EXPOSE and probes would wait for a port that never opens.
        defaults: { name: programName(this.module.module, this.main.pkg), kind: this.deps.listens ? 'service' : 'cli' },
      });
      checkConfigFilesExist(this.answers.config, this.root);
    });
  }

  configuring(): void {
    this.data = toTemplateData(this.answers, {
      generatorVersion: packageVersion,
      ...this.presetData(),
      existing: {
        mainPackage: this.main.pkg,
        dockerignore: this.module.dockerignore,
        healthcheck: this.main.healthcheck,
        configFlag: this.main.configFlag,
        localReplaces: this.module.localReplaces,
        vendor: this.module.vendor,
        ...(this.deps.versionSymbol ? { versionSymbol: this.deps.versionSymbol } : {}),
        ...(this.ownCompose ? { composeFile: this.ownCompose } : {}),
      },
    });
    for (const text of programNotes(this.main, this.deps, this.data)) this.notice(text);
    if (this.data.isService && this.answers.compose && this.ownCompose) {
      this.notice(`no compose.yaml: the module has ${this.ownCompose}, which docker compose would stop reading`);
    }
    if (this.data.configFiles.length > 0 && !this.main.configFlag) {
      this.notice(`config files are copied to ${this.data.configDir}/ but not passed: ${this.main.pkg} has no -config flag`);
    }
  }

  async writing(): Promise<void> {
    const plan: PlannedFile[] = [...containerFiles(this.data), ...(this.hadMakefile ? [] : [{ template: 'Makefile.ejs', destination: 'Makefile' }])];
    await this.step(() =>
      this.writePlan(plan, this.data, {
        // A preset overlay may add files, but never Go sources or module files.
        keep: (f) => !/(^|\/)(go\.mod|go\.sum|[^/]*\.go)$/.test(f.destination),
        store: { main: this.main.pkg },
        // go.mod's version is read again on every run: a stored one would go stale (and an old one,
        // say 1.20, would fail the new-project rule, Go 1.22+, on the next run).
        omit: (this.flags.goVersion ?? this.fileAnswers.goVersion) === undefined ? ['goVersion'] : [],
      }),
    );
  }

  end(): void {
    this.printNotices();
    if (this.updating) return;
    if (this.dryRun) return this.reportDryRun();
    this.storeWritten();
    if (this.interactive) {
      const words = [...this.presetWords(), '--main', this.main.pkg].map(shellQuote);
      const omit: InputName[] = ['module', 'layout'];
      const command = equivalentCommand(this.answers, words, { command: 'generator-dockergo docker', omit });
      this.log(`\nTo do this again without prompts:\n  ${command}\n`);
    }
    const steps = ['./build.sh build', './build.sh test', './build.sh run', ...(this.data.deploy === 'kubernetes' ? [deployHint(this.data)] : [])];
    const which = this.main.pkg === '.' ? this.module.module : `${this.module.module} (${this.main.pkg})`;
    this.log(`\nContainer files for ${which} are ready. Next:\n${steps.map((s) => `  ${s}\n`).join('')}`);
  }
}

/** The main package: --main (or the stored one), the only one, or asked when there are several. */
async function pickMain(
  generator: Generator,
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
  const { main } = (await generator.prompt([
    { type: 'select', name: 'main', message: 'Which main package goes into the image?', choices: module.candidates.map((m) => m.pkg) },
  ] as never)) as { main: string };
  return module.mains.find((m) => m.pkg === main)!;
}

// Helpers are functions, not methods: Yeoman runs every public method of a generator as a task.

/**
 * Config files are the module's own: each must exist, as a regular file inside the module with no
 * link on the way, for the image's COPY and the ConfigMap (a link would carry a file from anywhere).
 */
function checkConfigFilesExist(config: readonly string[], root: string): void {
  for (const file of config) {
    if (contained(root, file, `--config ${file}`, { within: 'the module' }).kind === 'none') {
      throw new UsageError(`--config ${file}: no such file in the module: the image copies it, so create it first (dockergo:docker writes no config files)`);
    }
  }
}

/** What the generator could not learn about the program, so that the files do not assume it. */
function programNotes(main: MainPackage, deps: MainDeps, data: TemplateData): string[] {
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
